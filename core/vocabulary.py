"""The taxonomy's data: families, categories and the words people use for each.

Families group categories so a phone keyboard stays short. Terms (French and English, plus the
Greater Region's German and Luxembourgish) let a user type their need in their own words
(« site internet », « la compta ») and let matching see that « site internet » and "web site
creation" are the same thing. `core.taxonomy` reads typed words with them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


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
    """A kind of thing exchanged, with the words people use for it in each language.

    In `fr_terms` and `en_terms`, a term starting with « ~ » is *weak*: it points to the
    category but is not enough on its own to file a phrase there without asking (« bureau » is
    an office, a desk or a board; "community" is an audience or a community day). A term
    starting with « * » is *generic*: alone it names the category, beside another term it gives
    way (« bilan » is accounting, « bilan environnemental » is not). A term in capitals is an
    acronym, read as such only when typed in capitals (« CA », "IT", not « ça », "it").
    """

    id: str
    family: str
    fr: str
    en: str
    fr_terms: tuple[str, ...]
    en_terms: tuple[str, ...]

    @property
    def synonyms(self) -> tuple[str, ...]:
        return tuple(t.lstrip("~*") for t in (*self.fr_terms, *self.en_terms))

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


def _c(  # noqa: PLR0917 - a row of the table below reads best positionally
    cid: str, family: str, fr: str, en: str, fr_terms: str, en_terms: str
) -> Category:
    def split(terms: str) -> tuple[str, ...]:
        return tuple(t.strip() for t in terms.split(";") if t.strip())

    return Category(cid, family, fr, en, split(fr_terms), split(en_terms))


# The words come from the field: the networks' own lists of what is exchanged (PRODUCT.md), the
# common asks of small associations (compta/paie, statuts, ordis, locaux, camion, invendus,
# réseaux sociaux, formation, mentorat, handicap, compost) and how people abbreviate them.
_CORE: tuple[Category, ...] = (
    # Skills-based sponsorship (mécénat de compétences), by field.
    _c(
        "it",
        "skills",
        "Informatique et logiciels",
        "IT and software",
        "informatique; logiciel; logiciels; développement logiciel; développeur; base de données;"
        " données; sauvegarde; intranet; outil de gestion; outil en ligne; google workspace;"
        " microsoft 365; BDD; fichier adhérents; réseau informatique; cybersécurité;"
        " sécurité informatique;"
        " support informatique; maintenance informatique; dépannage informatique; outils"
        " numériques; numérique; transformation numérique; application; appli; application"
        " mobile; traçabilité; tableur; excel; bureautique; CRM; ERP; wifi; serveur; messagerie;"
        " automatisation; intelligence artificielle; IT; SI",
        "IT; software; software development; developer; database; databases; IT support;"
        " tech support; digital tools; app; mobile app; coding; programming; spreadsheet;"
        " CRM; ERP; wifi; network; server; cybersecurity; automation; data; tech",
    ),
    _c(
        "web",
        "skills",
        "Site web",
        "Web site",
        "site internet; site web; site; création de site; refonte du site; boutique en ligne;"
        " web; webdesign; référencement; SEO; nom de domaine; hébergement web; wordpress;"
        " page web; plateforme en ligne",
        "web; website; web site; site; web design; web development; website creation;"
        " online shop; online store; e-shop; webshop; wordpress; landing page; hosting;"
        " web hosting; domain name; SEO; web page",
    ),
    _c(
        "legal",
        "skills",
        "Juridique",
        "Legal",
        "droit; juridique; juriste; avocat; notaire; statuts; contrats; contrat; RGPD; conseil"
        " juridique; propriété intellectuelle; droit du travail; bail; mentions légales;"
        " conformité; contentieux; litige; assurance; assurances",
        "legal; lawyer; legal advice; contracts; contract; bylaws; statutes; GDPR; law;"
        " compliance; intellectual property; lease; insurance; dispute",
    ),
    _c(
        "accounting",
        "skills",
        "Comptabilité et finance",
        "Accounting and finance",
        "comptabilité; compta; comptable; expert comptable; expertise comptable; comptes;"
        " comptes annuels; *bilan; *bilans; budget; budget prévisionnel; fiscalité; impôts;"
        " gestion financière; finances; trésorerie; facturation; factures; paie; fiches de paie;"
        " bulletins de paie; bulletins de salaire; salaires; déclarations sociales; audit;"
        " commissaire aux comptes; contrôle de gestion",
        "accounting; accountant; accounts; annual accounts; bookkeeping; finance; finances;"
        " tax; taxes; budgeting; budget; audit; payroll; payslips; invoicing; treasury;"
        " financial management",
    ),
    _c(
        "hr",
        "skills",
        "RH et formation",
        "HR and training",
        "ressources humaines; RH; *recrutement; recruter; formation; formations; former;"
        " formateur; management; coaching; coach; mentorat; mentor; parrainage; tutorat;"
        " entretien annuel; gestion des bénévoles; onboarding; montée en"
        " compétences; ~compétences; orientation professionnelle; CV; entretien d'embauche",
        "human resources; HR; recruitment; recruiting; hiring; training; trainer; mentoring;"
        " mentor; mentorship; coaching; coach; upskilling; onboarding; ~skills; career advice;"
        " job interview; resume; CV; management",
    ),
    _c(
        "comms",
        "skills",
        "Communication et marketing",
        "Communication and marketing",
        "communication; com; marketing; réseaux sociaux; relations presse; presse; stratégie de"
        " communication; plan de communication; conseil en communication; newsletter;"
        " community manager; community management; facebook; instagram; insta; linkedin; tiktok;"
        " campagne; *rédaction; storytelling; plan de com; emailing; communiqué de presse; médias",
        "communication; communications; comms; marketing; social media; PR; press; press"
        " relations; press release; marketing advice; communication strategy;"
        " social media strategy; content;"
        " copywriting; campaign; newsletter; facebook; instagram; linkedin; tiktok; media",
    ),
    _c(
        "design",
        "skills",
        "Graphisme",
        "Graphic design",
        "graphisme; graphiste; ~flyer; ~flyers; logo; identité visuelle; charte graphique;"
        " ~affiche; ~affiches;"
        " mise en page; maquette; illustration; illustrations; infographie; design graphique;"
        " visuels; pictogrammes",
        "graphic design; graphic designer; designer; logo; logo design; visual identity;"
        " branding; ~poster; ~posters; layout; illustration; illustrations; infographic;"
        " visuals; design",
    ),
    _c(
        "strategy",
        "skills",
        "Gouvernance et stratégie",
        "Governance and strategy",
        "gouvernance; *stratégie; stratégique; conseil d'administration; CA; AG; assemblée"
        " générale; business plan; modèle économique; plan stratégique; projet associatif;"
        " stratégie de développement; changement d'échelle; essaimage; pérennité",
        "governance; *strategy; strategic; board; board of directors; business plan; business"
        " model; strategic plan; strategic planning; scaling; sustainability plan",
    ),
    _c(
        "project",
        "skills",
        "Gestion de projet",
        "Project management",
        "gestion de projet; chef de projet; pilotage; planification; ~organisation;"
        " coordination; méthode agile; conduite de projet; gestion du temps",
        "project management; project manager; planning; coordination; agile; time management",
    ),
    _c(
        "photo_video",
        "skills",
        "Photo et vidéo",
        "Photo and video",
        "photo; photos; photographe; photographie; vidéo; vidéos; film; clip; montage vidéo;"
        " reportage; tournage; drone; podcast",
        "photo; photos; photography; photographer; video; videos; filming; film; video"
        " editing; footage; podcast",
    ),
    _c(
        "translation",
        "skills",
        "Traduction",
        "Translation",
        "traduction; traductions; traduire; traducteur; langues; interprétariat; interprète;"
        " sous-titrage; sous-titres; relecture en anglais",
        "translation; translations; translate; translator; interpreting; interpreter;"
        " subtitles; subtitling; languages",
    ),
    # Goods and equipment (mécénat en nature).
    _c(
        "it_equipment",
        "goods",
        "Matériel informatique",
        "Computers and IT equipment",
        "ordinateurs; ordinateur; ordinateur portable; ordi; ordis; PC; écrans; écran;"
        " imprimante; imprimantes; tablettes; tablette; téléphones; smartphones; matériel"
        " informatique; vidéoprojecteur; projecteur; souris; claviers; ~portable; ~portables",
        "computers; computer; laptops; laptop; PC; PCs; screens; monitors; printers; printer;"
        " tablets; phones; smartphones; IT equipment; hardware; projector",
    ),
    _c(
        "furniture",
        "goods",
        "Mobilier",
        "Furniture",
        "mobilier; meubles; meuble; ~bureaux; chaises; tables; armoires; étagères; canapés;"
        " rayonnages; mobilier de bureau",
        "furniture; desks; chairs; tables; shelves; cupboards; sofas; office furniture",
    ),
    _c(
        "food",
        "goods",
        "Alimentation",
        "Food",
        "alimentation; alimentaire; denrées; nourriture; invendus; invendus alimentaires;"
        " cantine; repas; produits frais; fruits et légumes; légumes; paniers; colis"
        " alimentaires; épicerie; boulangerie; traiteur; restauration; goûter; petits déjeuners;"
        " restaurant; restaurant d'entreprise",
        "food; meals; groceries; food donations; surplus food; unsold food; catering; fresh"
        " produce; vegetables; bread; lunches; breakfast",
    ),
    _c(
        "supplies",
        "goods",
        "Fournitures et dons en nature",
        "Supplies and in-kind donations",
        "fournitures; ~matériel; vêtements; jouets; produits d'hygiène; dons en nature; livres;"
        " fournitures scolaires; fournitures de bureau; outils; outillage; kits; couvertures;"
        " électroménager; papeterie; textiles",
        "supplies; ~equipment; clothes; clothing; toys; hygiene products; in-kind donation;"
        " in kind; materials; books; school supplies; stationery; tools; blankets; appliances",
    ),
    _c(
        "vehicles",
        "goods",
        "Véhicules",
        "Vehicles",
        "véhicule; véhicules; voiture; voitures; vélos; vélo; camionnette; minibus; scooter;"
        " triporteur",
        "vehicle; vehicles; car; cars; bicycles; bikes; bike; minibus; scooter",
    ),
    # Premises.
    _c(
        "premises",
        "premises",
        "Locaux et salles",
        "Premises and rooms",
        "locaux; local; salle; salles; salle de réunion; ~bureau; ~espace; ~lieu; hébergement"
        " d'événement; domiciliation; siège; coworking; espace de travail; cuisine équipée;"
        " salle de sport; gymnase",
        "premises; room; rooms; meeting room; office space; venue; hall; ~space; ~office;"
        " coworking; desk space; kitchen",
    ),
    _c(
        "storage",
        "premises",
        "Espace de stockage",
        "Storage space",
        "stockage; stocker; entrepôt; cave; garde-meubles; box de stockage; hangar; réserve",
        "storage; store; warehouse; storage space; storage unit",
    ),
    # Logistics.
    _c(
        "transport",
        "logistics",
        "Transport et livraison",
        "Transport and delivery",
        "transport; transporter; livraison; livraisons; livrer; camion; déménagement;"
        " logistique; acheminement; chauffeur; tournée; tournées; navette; ~collecte",
        "transport; transportation; delivery; deliveries; deliver; van; truck; lorry; moving;"
        " logistics; shipping; driver; pick-up; ~collection",
    ),
    _c(
        "printing",
        "logistics",
        "Impression",
        "Printing",
        "impression; imprimer; imprimerie; ~flyers; ~flyer; tracts; reprographie; photocopies;"
        " ~affiches; banderole; banderoles; kakemono; brochures; plaquettes",
        "printing; print; prints; leaflets; ~flyers; ~posters; banners; brochures; copies",
    ),
    # Volunteers and team-building days.
    _c(
        "volunteers",
        "people",
        "Bénévoles",
        "Volunteers",
        "bénévoles; bénévole; bénévolat; bénévs; bénév; volontaires; renfort; renforts; ~coup de"
        " main; ~bras; ~aide ponctuelle; ~mains; ~salariés; ~collaborateurs; ~employés",
        "volunteers; volunteer; volunteering; helping hands; staff volunteering; employee"
        " volunteering; ~hands; ~staff; ~employees",
    ),
    _c(
        "team_building",
        "people",
        "Journée solidaire d'équipe",
        "Team-building day",
        "journée solidaire; journées solidaires; team building; chantier nature; chantier"
        " solidaire; chantier participatif; plantation d'arbres; planter des arbres; journée"
        " citoyenne; débroussaillage; nettoyage; ramassage de déchets; journée d'équipe;"
        " séminaire solidaire; journée nature; journée de solidarité",
        "team building; team-building day; team day; community day; tree planting; nature day;"
        " clean-up; cleanup; volunteering day; day of service; away day",
    ),
    _c(
        "workshops",
        "people",
        "Ateliers pour salariés",
        "Workshops for employees",
        "atelier; ateliers; *sensibilisation; conférence; conférences; ~animation;"
        " ~témoignage; midi conférence; fresque du climat; formation des salariés",
        "workshop; workshops; awareness session; *awareness; talk; talks; employee workshop;"
        " lunch and learn; conference; seminar",
    ),
    # Outreach and audiences.
    _c(
        "relay",
        "relay",
        "Relais d'information",
        "Information relay",
        "relais; diffusion; relayer; diffuser; ~réseau; visibilité; faire connaître;"
        " bouche-à-oreille; newsletter interne; mise en réseau",
        "spread the word; ~share; ~network; visibility; outreach; word of mouth; relay;"
        " networking; exposure",
    ),
    _c(
        "audience",
        "relay",
        "Accès à un public",
        "Access to a public",
        "~public; bénéficiaires; ~jeunes; ~quartier; habitants; publics; toucher un public;"
        " accès à un public; familles; seniors",
        "audience; beneficiaries; ~community; young people; residents; reach; families",
    ),
    # CSR expertise, by theme.
    _c(
        "csr_disability",
        "csr",
        "Handicap",
        "Disability",
        "handicap; accessibilité; accessible; personnes handicapées; ESAT; secteur adapté;"
        " travailleurs handicapés; PMR; langue des signes; autisme; EA",
        "disability; disabilities; accessibility; disabled people; sheltered workshop;"
        " wheelchair; sign language; autism",
    ),
    _c(
        "csr_environment",
        "csr",
        "Environnement",
        "Environment",
        "environnement; écologie; biodiversité; climat; déchets; tri des déchets; compost;"
        " compostage; transition écologique; zéro déchet; développement durable; potager;"
        " jardin; nature; énergie",
        "environment; ecology; biodiversity; climate; waste; sustainability; compost;"
        " composting; zero waste; garden; energy; green; greener",
    ),
    _c(
        "csr_inclusion",
        "csr",
        "Inclusion et diversité",
        "Inclusion and diversity",
        "inclusion; diversité; égalité; discrimination; discriminations; insertion; insertion"
        " professionnelle; égalité femmes hommes; réfugiés; migrants; mixité",
        "inclusion; diversity; equality; integration; gender equality; refugees; migrants;"
        " discrimination",
    ),
    _c(
        "csr_poverty",
        "csr",
        "Pauvreté et précarité",
        "Poverty",
        "pauvreté; précarité; exclusion; sans-abri; SDF; aide alimentaire; grande précarité;"
        " exclusion sociale; mal-logement",
        "poverty; homelessness; homeless; precariousness; social exclusion; deprivation",
    ),
    _c(
        "csr_strategy",
        "csr",
        "Démarche RSE",
        "CSR strategy",
        "RSE; responsabilité sociétale; bilan carbone; démarche RSE; politique de mécénat;"
        " politique RSE; rapport RSE; engagement sociétal",
        "CSR; corporate social responsibility; carbon footprint; ESG; CSR report; CSR strategy;"
        " social impact",
    ),
    # Economic cooperation: the other three kinds of partnership the networks name.
    _c(
        "purchasing",
        "cooperation",
        "Achats responsables",
        "Responsible purchasing",
        "achats responsables; pratiques responsables; achat responsable; sous-traitance;"
        " prestation; prestations; SIAE; réparation; réparer; entretien des"
        " espaces verts; fournisseur; ~commande",
        "responsible purchasing; responsible practices; subcontracting; ~services; social"
        " enterprise; repair; repairs; supplier; procurement",
    ),
    _c(
        "circular",
        "cooperation",
        "Économie circulaire",
        "Circular economy",
        "économie circulaire; coopération économique; réemploi; recyclage; recycler; matière"
        " première; matières premières; chutes; rebuts; surplus; upcycling; seconde vie; palettes",
        "circular economy; economic cooperation; reuse; recycling; byproducts; raw material;"
        " raw materials; offcuts; scrap; upcycling; second life",
    ),
    _c(
        "innovation",
        "cooperation",
        "Innovation commune",
        "Joint innovation",
        "innovation; innovation sociétale; innovation sociale; co-création; nouveau produit;"
        " nouveau service; projet commun; prototype; expérimentation; R&D",
        "joint innovation; innovation; social innovation; co-creation; new product; new"
        " service; joint project; prototype; pilot",
    ),
    # Money.
    _c(
        "funding",
        "money",
        "Mécénat financier",
        "Financial sponsorship",
        "don financier; dons financiers; don en argent; financement; financements; subvention;"
        " subventions; argent; mécénat financier; sponsoring; parrainage financier; ~mécénat",
        "donation; donations; funding; grant; grants; money; financial support; ~sponsorship;"
        " sponsor",
    ),
)


# More of the field's words: how association leaders and company contacts actually write (spoken
# French, Belgian and Luxembourg usage, abbreviations, the German of the Greater Region), kept
# apart from the definitions above so that both stay readable. (fr and Greater-Region words,
# English words)
_FIELD: dict[str, tuple[str, str]] = {
    "it": (
        "informaticien; dev; développeurs; programmeur; codage; cloud; messagerie; mails;"
        " adresse mail; google drive; sharepoint; visio; visioconférence; IA; chatgpt;"
        " automatiser; digitalisation; digitaliser; dématérialisation; numériser; licences;"
        " licences logicielles; antivirus; mot de passe; helpdesk; hotline; bug; bugs;"
        " informatisation; tableaux de bord; fichier; fichiers; Informatik",
        "developers; dev; devs; IT help; cloud; email; emails; Microsoft Office;"
        " Office 365; licences; licenses; AI; digitalisation; digitization; troubleshooting;"
        " helpdesk; IT consultant; membership database; dashboards",
    ),
    "web": (
        "siteweb; page internet; site vitrine; e-commerce; ecommerce; billetterie en ligne;"
        " formulaire en ligne; adhésion en ligne; webmaster; webdesigner; wix; shopify;"
        " Webseite; Websäit; Internetseite",
        "webpage; homepage; webmaster; web designer; online booking; online ticketing; wix;"
        " shopify; squarespace",
    ),
    "legal": (
        "statut; conventions; convention de partenariat; CGV; réglementation; aide juridique;"
        " accès au droit; droit des étrangers; titre de séjour; responsabilité civile; marque;"
        " dépôt de marque; licenciement; prud'hommes; juristes; avocats; Rechtsberatung",
        "legal aid; regulations; trademark; terms and conditions; employment law; immigration"
        " law; legal status; lawyers; attorney; solicitor",
    ),
    "accounting": (
        "comptabilite; plan comptable; rapport financier; TVA; déclaration fiscale; reçus"
        " fiscaux; rescrit; gestion budgétaire; tableau de bord financier; contrôleur de gestion;"
        " fiches de salaire; salaire; URSSAF; DSN; charges sociales; comptables; experts"
        " comptables; Buchhaltung; Lohnbuchhaltung; Steuer",
        "bookkeeper; VAT; financial statements; tax returns; financial reporting; payslip;"
        " wages; accountants; books; year-end accounts",
    ),
    "hr": (
        "formatrice; apprentissage; apprentis; stage; stagiaires; stagiaire; alternance;"
        " alternant; tuteur; tutrice; parrain; marraine; GPEC; fiche de poste; leadership;"
        " QVT; prise de parole en public; soft skills; embauche;"
        " management d'équipe; gestion d'équipe; Weiterbildung; Ausbildung; Schulung",
        "internship; interns; intern; apprenticeship; job coaching; career coaching; public"
        " speaking; leadership; soft skills; job description; people management; staff"
        " training; team management",
    ),
    "comms": (
        "communiquer; posts; publications; contenus; stratégie digitale; marketing digital;"
        " webmarketing; com digitale; relation presse; journalistes; médias sociaux;"
        " influenceurs; slogan; pitch; plaidoyer; réseaux; Kommunikation; Öffentlichkeitsarbeit",
        "posts; content creation; digital marketing; storytelling; pitch; advocacy; media"
        " relations; journalists; publicity; promotion campaign",
    ),
    "design": (
        "graphique; logos; charte; identité graphique; design; création graphique; visuel;"
        " dessin; dessinateur; illustrateur; mise en forme; maquettiste; canva; indesign;"
        " photoshop; signalétique; Grafik",
        "graphics; flyer design; illustrator; drawing; artwork; canva; signage; visual",
    ),
    "strategy": (
        "plan d'action; feuille de route; vision; structuration; structurer; consolidation;"
        " conseil en stratégie; intelligence collective; facilitation; gouvernance partagée;"
        " Strategie",
        "roadmap; action plan; fundraising strategy; organisational development; consulting;"
        " facilitation; growth plan",
    ),
    "project": (
        "coordinateur; coordinatrice; gestion de projets; organisation d'événements;"
        " événementiel; méthodologie; suivi de projet; Projektmanagement",
        "event organisation; event planning; event management; coordinator; project coordination",
    ),
    "photo_video": (
        "photographies; shooting; reportage photo; vidéaste; captation; streaming; film"
        " documentaire; court-métrage; Fotograf",
        "shoot; videographer; livestream; documentary",
    ),
    "translation": (
        "traductrice; version anglaise; bilingue; traductions; Übersetzung",
        "translated; bilingual; English version",
    ),
    "it_equipment": (
        "ordinateur fixe; unité centrale; matériel info; matos informatique; GSM; téléphone;"
        " portables; clés USB; disques durs; routeur; imprimante 3D; casques; webcam; webcams;"
        " laptop; laptops; Computer; Computeren; Laptops",
        "desktops; desktop; mobile phones; cell phones; routers; hard drives; webcams;"
        " headsets; iPads; used computers; refurbished computers",
    ),
    "furniture": (
        "meubles de bureau; tables pliantes; bancs; lits; matelas; canapé; vestiaires;"
        " rayonnage; Möbel",
        "benches; beds; mattresses; couch; shelving; furnishings",
    ),
    "food": (
        "aliments; denrées alimentaires; dons alimentaires; excédents alimentaires; surplus"
        " alimentaires; repas chauds; plats; boissons; conserves; pain; viennoiseries; produits"
        " laitiers; banque alimentaire; frigo solidaire; invendu; Lebensmittel",
        "food bank; leftovers; drinks; beverages; canned food; dairy; food surplus; hot meals;"
        " produce",
    ),
    "supplies": (
        "matériaux; peinture; cartouches; papier; vaisselle; couverts; draps; linge; literie;"
        " jeux; jeux de société; matériel de sport; équipements sportifs; kits d'hygiène;"
        " protections périodiques; couches; produits ménagers; produits d'entretien; frigo;"
        " réfrigérateur; lave-linge; machine à laver; cadeaux; lots de tombola; Sachspenden",
        "paint; paper; dishes; bedding; linen; games; board games; sports equipment; nappies;"
        " diapers; cleaning products; fridge; washing machine; gifts; raffle prizes; goods;"
        " donations in kind",
    ),
    "vehicles": (
        "utilitaire; véhicule utilitaire; voiture de fonction; trottinette; vélo cargo; vélos"
        " électriques; bus; Auto",
        "cargo bike; e-bikes; fleet; company car",
    ),
    "premises": (
        "local associatif; bureau partagé; salle polyvalente; salle des fêtes; amphithéâtre;"
        " auditorium; cuisine professionnelle; parking; salle de formation; mise à disposition"
        " de locaux; Raum; Räumlichkeiten; Sall",
        "meeting space; event space; conference room; training room; auditorium; a place to"
        " meet; parking; kitchen space",
    ),
    "storage": (
        "garage; box; conteneur; local de stockage; espace de stockage; entreposer; chambre"
        " froide; Lager",
        "container; garage; cold storage; storeroom",
    ),
    "transport": (
        "déplacements; covoiturage; chauffeurs; livreurs; coursier; coursiers; ramassage;"
        " enlèvement; transport de personnes; acheminer; convoyage; fret; manutention;"
        " déménageurs; Transport",
        "drivers; courier; carpooling; haulage; freight; pickups; moving help",
    ),
    "printing": (
        "impressions; imprimé; imprimés; brochure; dépliants; livret; carte de visite; cartes de"
        " visite; roll-up; photocopieuse; Druck",
        "business cards; booklets; roll-up; printed materials",
    ),
    "volunteers": (
        "main-d'œuvre; renfort ponctuel; engagement des salariés; salariés engagés; bénévolat"
        " d'entreprise; aide humaine; encadrants; ~gens; ~personnes; Fräiwëlleger;"
        " Ehrenamtliche; Freiwillige",
        "helpers; manpower; extra hands; ~people; staff time",
    ),
    "team_building": (
        "journée de cohésion; cohésion d'équipe; action solidaire; journée verte; plantation;"
        " désherbage; ramassage; chantier; repeindre; journée terrain; mission solidaire; défi"
        " solidaire; course solidaire",
        "team activity; staff day out; volunteer day; corporate volunteering day; gardening day;"
        " litter picking; beach clean; painting day",
    ),
    "workshops": (
        "animations; formation pour vos salariés; débat; fresque; quiz; table ronde;"
        " midi-conférence; causerie; témoignages; serious game; sessions de sensibilisation",
        "sessions; keynote; round table; training for your staff; awareness training",
    ),
    "relay": (
        "communication interne; relais; partager; mailing; affichage; faire circuler;"
        " promouvoir; promotion; ambassadeurs; mise en relation; contacts; carnet d'adresses",
        "promote; introductions; contacts; connections; address book; ambassadors; internal"
        " communication",
    ),
    "audience": (
        "ados; adolescents; ~enfants; personnes âgées; aînés; étudiants; ~clients; clientèle;"
        " usagers; riverains; public cible; cible",
        "teenagers; ~kids; ~children; elderly; students; ~customers; target audience; users",
    ),
    "csr_disability": (
        "handicapé; handicapés; situation de handicap; malvoyants; aveugles; sourds;"
        " malentendants; fauteuil roulant; RQTH; AGEFIPH; Behinderung",
        "blind; deaf; hearing impaired; visually impaired; neurodiversity",
    ),
    "csr_environment": (
        "écolo; durable; économies d'énergie; eau; pollution; plastique; mobilité douce;"
        " éco-gestes; permaculture; jardinage; arbres; forêt; abeilles; ruches; tri;"
        " lombricompost; composteur; Ëmwelt; Umwelt",
        "eco; environmental; energy saving; pollution; plastic; trees; bees; beehives;"
        " gardening; permaculture",
    ),
    "csr_inclusion": (
        "égalité des chances; lutte contre les discriminations; intégration; réinsertion;"
        " retour à l'emploi; chômeurs; demandeurs d'emploi; personnes éloignées de l'emploi;"
        " décrocheurs; QPV; quartiers prioritaires; LGBT; racisme; Integratioun",
        "equal opportunities; jobseekers; unemployed; reintegration; LGBT; racism",
    ),
    "csr_poverty": (
        "précaires; pauvres; démunis; personnes en difficulté; grande exclusion; sans domicile;"
        " maraude; maraudes; épicerie sociale; surendettement; familles monoparentales; Aarmut",
        "poor; low-income; deprived; rough sleepers; debt; food poverty",
    ),
    "csr_strategy": (
        "responsabilité sociale; démarche responsable; label; labellisation; ISO 26000;"
        " reporting extra-financier; CSRD; impact social; mesure d'impact; gaz à effet de serre",
        "sustainability report; ESG report; CSRD; impact measurement; corporate responsibility",
    ),
    "purchasing": (
        "achats solidaires; achats inclusifs; prestations de services; blanchisserie; ménage;"
        " espaces verts; repassage; conciergerie; entreprise d'insertion; travail protégé;"
        " ~acheter",
        "buy from; purchases; catering services; cleaning services; laundry; landscaping;"
        " grounds maintenance; outsourcing",
    ),
    "circular": (
        "récupération; récup; chutes de tissu; chutes de bois; matériaux de construction; surplus"
        " de production; fins de série; stocks dormants; recyclerie; ressourcerie; seconde main;"
        " réutilisation; valorisation; déchets de production",
        "leftover materials; end of line; surplus stock; second hand; upcycle; salvage",
    ),
    "innovation": (
        "projet innovant; expérimenter; lab; laboratoire; living lab; hackathon; prototyper;"
        " co-construire; co-développer; produit solidaire",
        "R&D; research; hackathon; lab; co-design; co-develop; experiment",
    ),
    "funding": (
        "financer; partenaire financier; levée de fonds; collecte de fonds; crowdfunding;"
        " cagnotte; dotation; fonds; fondation; sponsors; Spenden; Geldspende",
        "fundraising; crowdfunding; funds; financial donation; cash; sponsors; endowment",
    ),
}


# How people type on a phone (spoken French, abbreviations, missing accents are folded anyway,
# everyday English), from the field's common asks; kept apart from the two lists above.
_PHONE: dict[str, tuple[str, str]] = {
    "it": (
        "~info; pb informatique; souci informatique; problèmes informatiques; dépannage;"
        " dépanner; installer; installation; paramétrage; configuration; mails; boîte mail;"
        " teams; zoom; outlook; gmail; nextcloud; logiciel libre; sauvegardes; cyber",
        "tech help; computer help; IT guy; computer repair; fix our computers; network setup;"
        " software licences; MS Office; Google Workspace; Teams; Zoom; backups; backup;"
        " cyber security; data entry",
    ),
    "web": (
        "siteweb; blog; inscriptions en ligne; formulaire; formulaires; helloasso; paiement en"
        " ligne; refonte; mise à jour du site; site vitrine",
        "blog; online forms; online registration; online payments; website update; domain",
    ),
    "legal": (
        "juridik; jurdique; avocate; asbl; utilité publique; reconnaissance d'utilité publique;"
        " agrément; droit associatif; loi 1901; contrat de travail; bail commercial; mise en"
        " demeure; tribunal; données personnelles",
        "legal stuff; legal questions; charity law; by-laws; articles of association; data"
        " protection; privacy policy; employment contracts",
    ),
    "accounting": (
        "comptab; cpta; tréso; trésorier; trésorière; notes de frais; facture; fiches de paye;"
        " paye; fisc; déclaration d'impôts; bilan comptable; clôture des comptes; réviseur;"
        " réviseur d'entreprises; fiduciaire; plan de trésorerie",
        "treasurer; expenses; expense reports; invoices; tax return; year-end;"
        " auditor; budget planning; cash flow; accounting firm; fiduciary",
    ),
    "hr": (
        "embaucher; recrutements; entretiens d'embauche; lettre de motivation; simulation"
        " d'entretien; mentors; reconversion; gestion des conflits; médiation; bien-être au"
        " travail; former nos; cours; DRH; responsable RH",
        "hiring; interviews; mock interviews; cover letter; mentors; courses; career; careers;"
        " job search; employability; conflict management; wellbeing at work",
    ),
    "comms": (
        "comm; RS; fb; youtube; community manager; CM; RP; pub; publicité; notoriété;"
        " stratégie com; plan com; rédiger; textes; image de marque",
        "social; socials; IG; FB; ads; advertising; brand awareness; mailchimp; youtube",
    ),
    "design": (
        "maquettes; dessins; création de logo; nouveau logo",
        "poster design; brochure design; logo redesign",
    ),
    "strategy": (
        "modèle éco; pérennisation; pérenniser; étude de marché; réorganisation; président;"
        " administrateurs; théorie du changement",
        "trustees; scale up; scaling up; theory of change; organisational strategy",
    ),
    "project": (
        "coordonner; rétroplanning; planning; suivi des projets",
        "PM; events; event planning",
    ),
    "photo_video": (
        "filmer; monter une vidéo; photographier; clip vidéo",
        "filming; editing; video editing; photo shoot",
    ),
    "translation": (
        "traduc; traduire en anglais; traduire en allemand; interprètes",
        "translating; interpreters; proofreading in English",
    ),
    "it_equipment": (
        "projo; beamer; iPad; ordis portables; pc portables; vieux ordis; vieux pc; ordinateurs"
        " reconditionnés; chargeurs",
        "beamer; iPad; old laptops; old computers; chargers; refurbished laptops",
    ),
    "furniture": (
        "tabourets; rangements; bureaux et chaises",
        "lockers; stools",
    ),
    "food": (
        "bouffe; fruits; gâteaux; café; sandwichs; sandwiches; buffet; petit-déj; petit"
        " déjeuner; collations; biscuits; chocolat; épicerie solidaire",
        "lunch; snacks; coffee; cakes; sandwiches; buffet; fruit; veg; pastries; food parcels;"
        " biscuits",
    ),
    "supplies": (
        "matos; fringues; habits; savon; savons; shampoing; shampoings; shampooings; dentifrice;"
        " serviettes; duvets; sacs de couchage; tentes; matériel de camping; bricolage;"
        " sono; sonorisation; micro; micros; enceinte; enceintes; matériel audio; ballons;"
        " cartables; vaisselle; produits d'hygiène",
        "stuff; toiletries; soap; shampoo; hygiene kits; sleeping bags; tents; camping gear;"
        " DIY; sound system; PA system; speakers; microphone; kitchen equipment",
    ),
    "vehicles": (
        "bécane; moto; mobylette",
        "motorbike; van hire",
    ),
    "premises": (
        "lokal; permanence; lieu d'accueil; bureaux partagés; siège social; salle de réunions;"
        " pièce; endroit pour se réunir",
        "space to meet; workspace; hall hire",
    ),
    "storage": (
        "garde-meuble; endroit pour stocker; place pour stocker; stocker nos affaires",
        "storing; storage room; lock-up; space to store; somewhere to store",
    ),
    "transport": (
        "déménager; emmener; amener; aller chercher; trajets; livrer les colis",
        "lift; lifts; removal; pick up; pickup; collect; drive",
    ),
    "printing": (
        "tirages; copies; programme imprimé; faire imprimer",
        "print run; photocopies; get printed",
    ),
    "volunteers": (
        "benevs; ~monde; du monde; tenir le stand; tenir un stand; accompagnateurs; ~bénévolat"
        " de compétences",
        "man power; volunteers needed",
    ),
    "team_building": (
        "teambuilding; team-building; cohésion; journée bénévolat; action collective",
        "team event; company volunteer day; CSR day",
    ),
    "workshops": (
        "sensibiliser; intervention; interventions; animer un atelier",
        "presentation; presentations; info session",
    ),
    "relay": (
        "faire passer; faire tourner l'info; faire passer le mot; réseau de contacts",
        "get the word out; share our posts; introduce us",
    ),
    "audience": (
        "toucher les jeunes; atteindre; nouveaux publics",
        "youth; new audiences",
    ),
    "csr_disability": (
        "fauteuil; fauteuils; entreprise adaptée; autistes; LSF; déficience; déficients",
        "disabled; wheelchairs; special needs; deafness",
    ),
    "csr_environment": (
        "vert; déchets verts; biodéchets; empreinte écologique",
        "food waste; green waste",
    ),
    "csr_inclusion": (
        "demandeurs d'asile; chantier d'insertion; emploi des jeunes",
        "asylum seekers; employment",
    ),
    "csr_poverty": (
        "sans abri; familles en difficulté; personnes en précarité",
        "low income families",
    ),
    "csr_strategy": (
        "empreinte carbone; stratégie RSE; reporting RSE",
        "carbon accounting; impact report; sustainability reporting",
    ),
    "purchasing": (
        "achats; sous-traiter; prestataire; prestataires; fournisseurs; marchés publics;"
        " clause sociale; clauses sociales",
        "buying; suppliers; subcontract; maintenance; social clauses",
    ),
    "circular": (
        "recyclage; réutiliser; don de matériaux; matériaux de récup",
        "reusing; recycle; pallets",
    ),
    "innovation": (
        "innover; co-création; projet pilote; pilote; tester; test",
        "innovate; co-create; pilot project; testing; test",
    ),
    "funding": (
        "fric; thunes; pognon; sous-sous; financement participatif; bourse",
        "fund; sponsorship money; cash donation",
    ),
}


# Words the tuning phrases v3 (tests/tuning_phrases.toml) showed missing or filed elsewhere. A
# word that means two things to people is listed under both, so the bot asks (« épicerie
# solidaire » is food and poverty, « tutorat » is mentoring and volunteering).
_TYPED: dict[str, tuple[str, str]] = {
    "hr": ("fiche de poste; fiches de poste", "job description; job descriptions"),
    "volunteers": (
        "aide aux devoirs; soutien scolaire; tuteurs; tutrices; tutorat",
        "tutors; tutoring; homework help",
    ),
    "audience": (
        "stand; stand gratuit; foire; salon professionnel; portes ouvertes; hall d'accueil",
        "stand; trade fair; open day; booth",
    ),
    "csr_environment": (
        "bilan carbone; empreinte carbone; biodiversité; panneaux solaires",
        "carbon footprint; carbon audit; biodiversity; solar panels",
    ),
    "csr_poverty": ("épicerie solidaire; hébergement d'urgence", "homelessness; food bank"),
    "funding": (
        "arrondi sur salaire; micro-don; budget mécénat; mécène; des sous",
        "matching gift; payroll giving; sponsorship",
    ),
    "circular": ("marc de café; réemploi", "coffee grounds; reuse"),
}


def _with_field_words(category: Category) -> Category:
    fr, en = _FIELD.get(category.id, ("", ""))
    fr_phone, en_phone = _PHONE.get(category.id, ("", ""))
    fr_typed, en_typed = _TYPED.get(category.id, ("", ""))
    fr, en = f"{fr}; {fr_phone}; {fr_typed}", f"{en}; {en_phone}; {en_typed}"

    def split(terms: str) -> tuple[str, ...]:
        return tuple(t.strip() for t in terms.split(";") if t.strip())

    return replace(
        category,
        fr_terms=(*category.fr_terms, *split(fr)),
        en_terms=(*category.en_terms, *split(en)),
    )


CATEGORIES: tuple[Category, ...] = tuple(_with_field_words(c) for c in _CORE)


# Help given in person, where distance matters (a team-building day, premises, a van); skills
# and advice can be given from anywhere.
IN_PERSON = frozenset(
    {"team_building", "volunteers", "workshops", "premises", "storage", "transport", "food",
     "furniture"}
)  # fmt: skip
