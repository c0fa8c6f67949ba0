"""A few realistic organisations so the sandbox has something to look at."""

from __future__ import annotations

from datetime import datetime

from core.models import Contact, Item, Location, OrgKind, ProfileData
from storage import organisations
from storage.db import Database

# Owner ids of the demo organisations: in the sandbox chat, `:user 9001` speaks as them.
DEMO: tuple[ProfileData, ...] = (
    ProfileData(
        kind=OrgKind.ASSOCIATION,
        name="Les Jardins du Neuhof",
        description="Jardins partagés et chantiers d'insertion dans le quartier du Neuhof.",
        location=Location("Strasbourg"),
        needs=(
            Item("web", "un site internet pour présenter nos jardins"),
            Item("design", "un logo"),
        ),
        offers=(
            Item("team_building", "journée nature : débroussaillage et plantation d'arbres"),
            Item("csr_environment", "sensibilisation à la biodiversité"),
        ),
        contact=Contact("Aline Schmitt", "aline@jardins-neuhof.example", "+33 3 88 00 00 01"),
        language="fr",
        owner_user_id=9001,
        owner_username="aline_jardins",
    ),
    ProfileData(
        kind=OrgKind.ASSOCIATION,
        name="Banque alimentaire de Moselle",
        description="Collecte et redistribution de denrées à 120 associations partenaires.",
        location=Location("Metz"),
        needs=(
            Item("it", "améliorer notre logiciel de traçabilité des dons"),
            Item("transport", "une camionnette le samedi"),
        ),
        offers=(
            Item("workshops", "ateliers anti-gaspillage pour vos salariés"),
            Item("volunteers", ""),
        ),
        contact=Contact("Karim Benali", "karim@ba57.example", None),
        language="fr",
        owner_user_id=9002,
        owner_username=None,
    ),
    ProfileData(
        kind=OrgKind.ASSOCIATION,
        name="Handi'Sport Lux",
        description="Adapted sport for people with disabilities, in clubs across Luxembourg.",
        location=Location("Luxembourg"),
        needs=(Item("comms", "a social media plan"), Item("accounting", "year-end accounts")),
        offers=(Item("csr_disability", "awareness workshops on disability at work"),),
        contact=Contact("Paul Weber", "paul@handisport.example", "+352 621 000 003"),
        language="en",
        owner_user_id=9003,
        owner_username="paulweber",
    ),
    ProfileData(
        kind=OrgKind.COMPANY,
        name="Pixel & Co",
        description="Agence web : sites, identité visuelle, accompagnement numérique.",
        location=Location("Strasbourg"),
        needs=(Item("team_building", "une journée solidaire pour nos 25 salariés"),),
        offers=(
            Item("web", "création de sites web"),
            Item("design", "logo et charte graphique"),
        ),
        contact=Contact("Julie Martin", "julie@pixelco.example", "+33 3 88 00 00 04"),
        language="fr",
        owner_user_id=9004,
        owner_username="julie_pixel",
    ),
    ProfileData(
        kind=OrgKind.COMPANY,
        name="Fiduciaire Rhénane",
        description="Cabinet d'expertise comptable, 40 collaborateurs.",
        location=Location("Colmar"),
        needs=(Item("csr_inclusion", "mieux recruter des personnes éloignées de l'emploi"),),
        offers=(
            Item("accounting", "tenue de comptabilité et bilans"),
            Item("legal", "relecture de statuts"),
        ),
        contact=Contact("Marc Keller", "m.keller@fidrhen.example", None),
        language="fr",
        owner_user_id=9005,
        owner_username=None,
    ),
    ProfileData(
        kind=OrgKind.COMPANY,
        name="LogiTrans Est",
        description="Regional transport and warehousing.",
        location=Location(remote=True),
        needs=(Item("relay", "visibility for our apprenticeship programme"),),
        offers=(
            Item("transport", "a van and a driver one Saturday a month"),
            Item("storage", "200 m² of warehouse space"),
        ),
        contact=Contact("Sofia Rossi", "sofia@logitrans.example", "+33 3 87 00 00 06"),
        language="en",
        owner_user_id=9006,
        owner_username="sofia_lt",
    ),
)


async def seed(db: Database, now: datetime) -> int:
    """Adds the demo organisations to an empty database; returns how many were added."""
    if await organisations.count(db) > 0:
        return 0
    for profile in DEMO:
        await organisations.create(db, profile, now)
    return len(DEMO)
