"""A labelled set for matching quality: needs and offers as people write them.

Each item belongs to a *topic*; an offer is relevant to a need when they share a topic. The set
mixes French and English, synonyms, typos and missing accents, words typed without picking a
category (the category is then what the bot reads in the words, as in registration), and
distractors that are near misses (printing for a logo, vehicles for volunteers, money...).

Metrics (see BENCHMARKS.md):
- precision@5: of the (at most five) offers shown for a need, the share that is relevant;
- recall@5: of the relevant offers (at most five counted per need), the share shown;
- false matches: near-miss pairs that got any score at all (should be none).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from core.matching import MatchIndex
from core.models import WORDS_ONLY, Contact, Item, Location, Organisation, OrgKind, OrgStatus
from core.taxonomy import TAXONOMY

# (topic, category picked or None when only words were typed, the user's words)
NEEDS: tuple[tuple[str, str | None, str], ...] = (
    ("web", None, "site internet"),
    ("web", "it", "refonte de notre site web"),
    ("web", None, "a new website for our shelter"),
    ("web", "web", "sit web pour l'asso"),
    ("web", None, "boutique en ligne pour notre ressourcerie"),
    ("design", None, "un logo"),
    ("design", "design", "charte graphique"),
    ("design", None, "logo design for our festival"),
    ("design", None, "grafisme pour nos affiches"),
    ("accounting", None, "comptabilité"),
    ("accounting", None, "comptabilitée annuelle"),
    ("accounting", None, "help with bookkeeping"),
    ("accounting", "accounting", "bilan et budget prévisionnel"),
    ("legal", None, "relecture de nos statuts"),
    ("legal", None, "GDPR compliance advice"),
    ("comms", None, "conseil en communication"),
    ("comms", None, "social media strategy"),
    ("comms", None, "relations presse"),
    ("it", None, "logiciel de gestion des adhérents"),
    ("it", None, "database for our volunteers"),
    ("it_equipment", None, "ordinateurs portables"),
    ("it_equipment", None, "used laptops for our training centre"),
    ("premises", None, "une salle de réunion le soir"),
    ("premises", None, "meeting room for our board"),
    ("transport", None, "livraison des colis alimentaires"),
    ("transport", "transport", "delivery van on saturdays"),
    ("volunteers", None, "des bénévoles pour notre collecte"),
    ("volunteers", None, "volunteers for our food drive"),
    ("volunteers", None, "benevoles pour le festival"),
    ("hr", None, "formation au management pour nos responsables"),
    ("hr", None, "recruitment advice"),
    ("food", None, "invendus alimentaires"),
    ("furniture", None, "mobilier de bureau"),
    ("printing", None, "impression de flyers"),
)

OFFERS: tuple[tuple[str, str | None, str], ...] = (
    ("web", "web", "création de sites web"),
    ("web", None, "web development and hosting"),
    ("web", None, "développement de sites internet WordPress"),
    ("design", "design", "logo et identité visuelle"),
    ("design", None, "graphic design and branding"),
    ("accounting", None, "expertise comptable"),
    ("accounting", None, "bookkeeping and annual accounts"),
    ("accounting", "accounting", "tenue de comptabilité"),
    ("legal", None, "conseil juridique et RGPD"),
    ("legal", None, "legal advice on contracts and bylaws"),
    ("comms", None, "stratégie de communication"),
    ("comms", None, "marketing and social media advice"),
    ("it", None, "développement logiciel sur mesure"),
    ("it", None, "IT support and databases"),
    ("it_equipment", None, "don d'ordinateurs reconditionnés"),
    ("it_equipment", None, "refurbished laptops"),
    ("premises", None, "prêt de salles de réunion"),
    ("premises", None, "office space in the evening"),
    ("transport", None, "transport et livraison"),
    ("transport", "transport", "a van and a driver"),
    ("volunteers", None, "bénévolat de nos salariés"),
    ("volunteers", None, "employee volunteering days"),
    ("hr", None, "formation au management"),
    ("hr", None, "coaching and HR advice"),
    ("food", None, "invendus de notre cantine"),
    ("furniture", None, "don de mobilier de bureau"),
    ("printing", None, "imprimerie : flyers et affiches"),
    # Near misses: no need above is about these.
    ("vehicles", None, "voitures de fonction d'occasion"),
    ("storage", None, "entrepôt de stockage"),
    ("photo", None, "reportage photo de vos événements"),
    ("translation", "translation", "traduction anglais-français"),
    ("funding", None, "mécénat financier"),
    ("csr", None, "bilan carbone"),
)

# Pairs that look alike but must not match: (need words, offer words).
NEAR_MISSES: tuple[tuple[str, str], ...] = (
    ("un logo", "imprimerie : flyers et affiches"),
    ("impression de flyers", "logo et identité visuelle"),
    ("comptabilité", "conseil juridique et RGPD"),
    ("relecture de nos statuts", "expertise comptable"),
    ("des bénévoles pour notre collecte", "coaching and HR advice"),
    ("formation au management pour nos responsables", "bénévolat de nos salariés"),
    ("ordinateurs portables", "IT support and databases"),
    ("logiciel de gestion des adhérents", "don d'ordinateurs reconditionnés"),
    ("une salle de réunion le soir", "entrepôt de stockage"),
    ("livraison des colis alimentaires", "invendus de notre cantine"),
    ("mobilier de bureau", "office space in the evening"),
    ("site internet", "reportage photo de vos événements"),
    ("social media strategy", "traduction anglais-français"),
    ("invendus alimentaires", "transport et livraison"),
    ("help with bookkeeping", "mécénat financier"),
    ("conseil en communication", "bilan carbone"),
)


def _item(category: str | None, words: str) -> Item:
    """The item as registration keeps it: the category picked or read in the words, else (the
    bot asks "did you mean…?" and the person keeps their words only) the words alone."""
    picked = category or TAXONOMY.guess(words)
    return Item(picked or WORDS_ONLY, words)


@dataclass(frozen=True)
class Quality:
    needs: int
    offers: int
    labelled_pairs: int
    precision_at_5: float
    recall_at_5: float
    false_matches: int
    unplaced: int  # items whose words the bot asked about (kept in words only here)


def evaluate() -> Quality:
    now = datetime(2026, 11, 1, tzinfo=UTC)
    index = MatchIndex()
    offer_topic: dict[int, str] = {}
    offer_words: dict[str, int] = {}
    unplaced = 0
    for number, (topic, category, words) in enumerate(OFFERS, start=1):
        item = _item(category, words)
        unplaced += item.words_only
        index.upsert(_org(number, OrgKind.COMPANY, offers=(item,), now=now))
        offer_topic[number] = topic
        offer_words[words] = number
    precisions: list[float] = []
    recalls: list[float] = []
    shown_for: dict[str, set[int]] = {}
    for number, (topic, category, words) in enumerate(NEEDS, start=10_000):
        relevant = {o for o, t in offer_topic.items() if t == topic}
        item = _item(category, words)
        unplaced += item.words_only
        reader = _org(number, OrgKind.ASSOCIATION, needs=(item,), now=now)
        shown = [c.org_id for c in index.top(reader, now=now, k=5)]
        shown_for[words] = {c.org_id for c in index.top(reader, now=now, k=100)}
        hits = sum(1 for o in shown if o in relevant)
        precisions.append(hits / len(shown) if shown else 0.0)
        recalls.append(hits / min(5, len(relevant)) if relevant else 1.0)
    false_matches = sum(
        1 for need, offer in NEAR_MISSES if offer_words.get(offer) in shown_for.get(need, set())
    )
    positives = sum(1 for need in NEEDS for offer in OFFERS if need[0] == offer[0])
    return Quality(
        needs=len(NEEDS),
        offers=len(OFFERS),
        labelled_pairs=positives + len(NEAR_MISSES),
        precision_at_5=sum(precisions) / len(precisions),
        recall_at_5=sum(recalls) / len(recalls),
        false_matches=false_matches,
        unplaced=unplaced,
    )


def _org(
    org_id: int,
    kind: OrgKind,
    *,
    now: datetime,
    needs: tuple[Item, ...] = (),
    offers: tuple[Item, ...] = (),
) -> Organisation:
    return Organisation(
        id=org_id,
        kind=kind,
        name=f"Org {org_id}",
        description="",
        location=Location(remote=True),
        needs=needs,
        offers=offers,
        contact=Contact("x"),
        owner_user_id=org_id,
        owner_username=None,
        language="fr",
        status=OrgStatus.ACTIVE,
        created_at=now,
        updated_at=now,
        confirmed_at=now,
        consented_at=now,
    )
