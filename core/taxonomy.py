"""What associations and companies exchange: a bilingual taxonomy with synonyms.

Families group categories so a phone keyboard stays short. Synonyms (French and English) let a
user type their need in their own words ("site internet", "comptabilité") and let matching see
that "site internet" and "web site creation" are the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz, process

from core.text import normalise


@dataclass(frozen=True, slots=True)
class Family:
    id: str
    emoji: str
    fr: str
    en: str

    def label(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


@dataclass(frozen=True, slots=True)
class Category:
    id: str
    family: str
    fr: str
    en: str
    synonyms: tuple[str, ...]

    def label(self, lang: str) -> str:
        return self.fr if lang == "fr" else self.en


FAMILIES: tuple[Family, ...] = (
    Family("skills", "🧠", "Compétences", "Skills"),
    Family("goods", "📦", "Biens et matériel", "Goods and equipment"),
    Family("premises", "🏢", "Locaux", "Premises"),
    Family("logistics", "🚚", "Logistique", "Logistics"),
    Family("people", "🙌", "Bénévoles et journées solidaires", "Volunteers and team days"),
    Family("relay", "📣", "Relais et publics", "Outreach and audiences"),
    Family("csr", "🌱", "Expertise RSE", "CSR expertise"),
    Family("cooperation", "🤝", "Coopération économique", "Economic cooperation"),
    Family("money", "💶", "Mécénat financier", "Financial sponsorship"),
)


def _c(cid: str, family: str, fr: str, en: str, synonyms: str) -> Category:
    return Category(cid, family, fr, en, tuple(s.strip() for s in synonyms.split(";") if s.strip()))


CATEGORIES: tuple[Category, ...] = (
    # Skills-based sponsorship (mécénat de compétences), by field.
    _c(
        "it",
        "skills",
        "Informatique et logiciels",
        "IT and software",
        "informatique; logiciel; développement logiciel; base de données; réseau informatique;"
        " cybersécurité; support informatique; outils numériques; application; traçabilité;"
        " IT; software; software development; database; IT support; digital tools; app; coding",
    ),
    _c(
        "web",
        "skills",
        "Site web",
        "Web site",
        "site internet; site web; création de site; refonte du site; boutique en ligne;"
        " web; website; web site; web design; web development; website creation; online shop;"
        " wordpress; landing page",
    ),
    _c(
        "legal",
        "skills",
        "Juridique",
        "Legal",
        "droit; juridique; avocat; statuts; contrats; RGPD; conseil juridique; propriété"
        " intellectuelle; legal; lawyer; legal advice; contracts; bylaws; GDPR; law",
    ),
    _c(
        "accounting",
        "skills",
        "Comptabilité et finance",
        "Accounting and finance",
        "comptabilité; comptable; expert comptable; budget; bilan; fiscalité; gestion financière;"
        " trésorerie; accounting; accountant; bookkeeping; finance; tax; budgeting; audit",
    ),
    _c(
        "hr",
        "skills",
        "RH et formation",
        "HR and training",
        "ressources humaines; RH; recrutement; formation; management; coaching; mentorat;"
        " human resources; HR; recruitment; hiring; training; mentoring; coaching",
    ),
    _c(
        "comms",
        "skills",
        "Communication et marketing",
        "Communication and marketing",
        "communication; marketing; réseaux sociaux; relations presse; stratégie de communication;"
        " conseil en communication; newsletter; social media; PR; press relations;"
        " marketing advice; communication strategy; content",
    ),
    _c(
        "design",
        "skills",
        "Graphisme",
        "Graphic design",
        "graphisme; graphiste; logo; identité visuelle; charte graphique; affiche; mise en page;"
        " maquette; graphic design; designer; logo design; visual identity; branding; poster;"
        " layout",
    ),
    _c(
        "strategy",
        "skills",
        "Gouvernance et stratégie",
        "Governance and strategy",
        "gouvernance; stratégie; conseil d'administration; business plan; modèle économique;"
        " plan stratégique; governance; strategy; board; business model; strategic plan",
    ),
    _c(
        "project",
        "skills",
        "Gestion de projet",
        "Project management",
        "gestion de projet; chef de projet; pilotage; planification; organisation;"
        " project management; project manager; planning",
    ),
    _c(
        "photo_video",
        "skills",
        "Photo et vidéo",
        "Photo and video",
        "photo; photographe; vidéo; film; montage vidéo; reportage; photography; photographer;"
        " video; filming; video editing",
    ),
    _c(
        "translation",
        "skills",
        "Traduction",
        "Translation",
        "traduction; traducteur; langues; interprétariat; translation; translator;"
        " interpreting; languages",
    ),
    # Goods and equipment (mécénat en nature).
    _c(
        "it_equipment",
        "goods",
        "Matériel informatique",
        "Computers and IT equipment",
        "ordinateurs; ordinateur portable; écrans; imprimante; tablettes; matériel informatique;"
        " computers; laptops; screens; printers; tablets; IT equipment; hardware",
    ),
    _c(
        "furniture",
        "goods",
        "Mobilier",
        "Furniture",
        "mobilier; meubles; bureaux; chaises; tables; furniture; desks; chairs; tables",
    ),
    _c(
        "food",
        "goods",
        "Alimentation",
        "Food",
        "alimentation; denrées; invendus; invendus alimentaires; cantine; repas; produits frais;"
        " food; meals;"
        " groceries; food donations; surplus food",
    ),
    _c(
        "supplies",
        "goods",
        "Fournitures et dons en nature",
        "Supplies and in-kind donations",
        "fournitures; matériel; vêtements; jouets; produits d'hygiène; dons en nature;"
        " supplies; equipment; clothes; toys; hygiene products; in-kind donation; materials",
    ),
    _c(
        "vehicles",
        "goods",
        "Véhicules",
        "Vehicles",
        "véhicule; voiture; vélos; camionnette; vehicle; car; bicycles; bikes",
    ),
    # Premises.
    _c(
        "premises",
        "premises",
        "Locaux et salles",
        "Premises and rooms",
        "locaux; salle; salle de réunion; bureau; espace; local; lieu; hébergement d'événement;"
        " premises; room; meeting room; office space; venue; hall; space",
    ),
    _c(
        "storage",
        "premises",
        "Espace de stockage",
        "Storage space",
        "stockage; entrepôt; cave; garde-meubles; storage; warehouse; storage space",
    ),
    # Logistics.
    _c(
        "transport",
        "logistics",
        "Transport et livraison",
        "Transport and delivery",
        "transport; livraison; camion; déménagement; logistique; acheminement; delivery;"
        " van; truck; moving; logistics; shipping",
    ),
    _c(
        "printing",
        "logistics",
        "Impression",
        "Printing",
        "impression; imprimerie; flyers; tracts; reprographie; printing; print; leaflets",
    ),
    # Volunteers and team-building days.
    _c(
        "volunteers",
        "people",
        "Bénévoles",
        "Volunteers",
        "bénévoles; bénévolat; coup de main; bras; aide ponctuelle; volontaires; volunteers;"
        " volunteering; helping hands; staff volunteering; employee volunteering",
    ),
    _c(
        "team_building",
        "people",
        "Journée solidaire d'équipe",
        "Team-building day",
        "journée solidaire; team building; chantier nature; plantation d'arbres; journée"
        " citoyenne; débroussaillage; nettoyage; team-building day; community day;"
        " tree planting; nature day; clean-up",
    ),
    _c(
        "workshops",
        "people",
        "Ateliers pour salariés",
        "Workshops for employees",
        "atelier; sensibilisation; conférence; animation; workshop; awareness session;"
        " talk; employee workshop; lunch and learn",
    ),
    # Outreach and audiences.
    _c(
        "relay",
        "relay",
        "Relais d'information",
        "Information relay",
        "relais; diffusion; relayer; réseau; visibilité; bouche-à-oreille; newsletter interne;"
        " spread the word; share; network; visibility; outreach",
    ),
    _c(
        "audience",
        "relay",
        "Accès à un public",
        "Access to a public",
        "public; bénéficiaires; jeunes; quartier; habitants; audience; beneficiaries;"
        " community; young people; residents",
    ),
    # CSR expertise, by theme.
    _c(
        "csr_disability",
        "csr",
        "Handicap",
        "Disability",
        "handicap; accessibilité; personnes handicapées; ESAT; secteur adapté; disability;"
        " accessibility; disabled people; sheltered workshop",
    ),
    _c(
        "csr_environment",
        "csr",
        "Environnement",
        "Environment",
        "environnement; écologie; biodiversité; climat; déchets; transition écologique;"
        " environment; ecology; biodiversity; climate; waste; sustainability",
    ),
    _c(
        "csr_inclusion",
        "csr",
        "Inclusion et diversité",
        "Inclusion and diversity",
        "inclusion; diversité; égalité; discrimination; insertion; égalité femmes hommes;"
        " diversity; equality; integration; gender equality",
    ),
    _c(
        "csr_poverty",
        "csr",
        "Pauvreté et précarité",
        "Poverty",
        "pauvreté; précarité; exclusion; sans-abri; aide alimentaire; poverty; homelessness;"
        " precariousness; social exclusion",
    ),
    _c(
        "csr_strategy",
        "csr",
        "Démarche RSE",
        "CSR strategy",
        "RSE; responsabilité sociétale; bilan carbone; démarche RSE; mécénat d'entreprise;"
        " CSR; corporate social responsibility; carbon footprint; ESG",
    ),
    # Economic cooperation: responsible practices, circular economy, joint innovation.
    _c(
        "purchasing",
        "cooperation",
        "Achats responsables",
        "Responsible purchasing",
        "achats responsables; sous-traitance; prestation; structure d'insertion; réparation;"
        " responsible purchasing; subcontracting; services; social enterprise; repair",
    ),
    _c(
        "circular",
        "cooperation",
        "Économie circulaire",
        "Circular economy",
        "économie circulaire; réemploi; recyclage; matière première; chutes; upcycling;"
        " circular economy; reuse; recycling; by-products; raw material",
    ),
    _c(
        "innovation",
        "cooperation",
        "Innovation commune",
        "Joint innovation",
        "innovation; co-création; nouveau produit; nouveau service; projet commun;"
        " joint innovation; co-creation; new product; new service; joint project",
    ),
    # Money.
    _c(
        "funding",
        "money",
        "Mécénat financier",
        "Financial sponsorship",
        "don financier; dons financiers; don en argent; financement; subvention; argent;"
        " mécénat financier;"
        " donation; funding; grant; money; financial support",
    ),
)


class Taxonomy:
    """Look-ups over the categories, built once."""

    def __init__(
        self, families: tuple[Family, ...] = FAMILIES, categories: tuple[Category, ...] = CATEGORIES
    ) -> None:
        self.families = families
        self.categories = categories
        self._by_id = {c.id: c for c in categories}
        self._families_by_id = {f.id: f for f in families}

    def category(self, category_id: str) -> Category:
        return self._by_id[category_id]

    def family(self, family_id: str) -> Family:
        return self._families_by_id[family_id]

    def has_category(self, category_id: str) -> bool:
        return category_id in self._by_id

    def has_family(self, family_id: str) -> bool:
        return family_id in self._families_by_id

    def in_family(self, family_id: str) -> tuple[Category, ...]:
        return tuple(c for c in self.categories if c.family == family_id)

    @cached_property
    def _terms(self) -> tuple[list[str], list[str]]:
        """Every normalised label and synonym, with the category it points to."""
        terms: list[str] = []
        owners: list[str] = []
        for cat in self.categories:
            for term in (cat.fr, cat.en, *cat.synonyms):
                norm = normalise(term)
                if norm:
                    terms.append(norm)
                    owners.append(cat.id)
        return terms, owners

    def guess(self, text: str, *, threshold: float = 85.0) -> str | None:
        """The category a user most likely means by their own words, or None if unsure."""
        query = normalise(text)
        if len(query) < 2:
            return None
        terms, owners = self._terms
        # Whole-word containment first: "un nouveau site internet pour l'asso" contains
        # "site internet". The term that comes first wins, as the head of the phrase
        # ("database for our volunteers" is about a database); at the same place, the longest
        # ("site internet" beats "site").
        padded = f" {query} "
        contained = [
            (padded.find(f" {t} "), -len(t), owners[i])
            for i, t in enumerate(terms)
            if f" {t} " in padded
        ]
        if contained:
            return min(contained)[2]
        best = process.extractOne(query, terms, scorer=fuzz.WRatio, score_cutoff=threshold)
        return owners[best[2]] if best else None


TAXONOMY = Taxonomy()
