"""A small network for the console's tests, built through the storage paths the bot uses (so
the stage history is written by the same triggers as in production)."""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass, replace
from datetime import timedelta

from PIL import Image

from bot.app import BotApp
from core.models import Item, Organisation
from core.partnerships import Partnership
from core.pipeline import Stage
from sandbox.scenarios import association_profile, company_profile
from sandbox.standin import BotApiStandIn
from storage import introductions, partnerships
from tests.harness import Clock, seed, svc


@dataclass
class Network:
    associations: list[Organisation]
    companies: list[Organisation]


async def pair(
    app: BotApp, clock: Clock, association: Organisation, company: Organisation
) -> Partnership:
    """The association asks, the company accepts: introduced now."""
    s = svc(app)
    now = clock()
    interest = await introductions.request(
        s.db, association.id, company.id, now=now, expires_at=now + timedelta(days=14), cap=99,
        delays=s.policy.nudges,
    )  # fmt: skip
    assert interest is not None
    assert await introductions.answer(
        s.db, interest, accept=True, association_id=association.id, company_id=company.id,
        now=now, delays=s.policy.nudges,
    )  # fmt: skip
    found = [
        p
        for p in await partnerships.of_organisation(s.db, association.id)
        if p.company_id == company.id
    ]
    return found[0]


async def record(
    app: BotApp,
    clock: Clock,
    partnership: Partnership,
    *,
    kind: str,
    description: str,
    hours: float | None,
    value: float | None,
) -> None:
    """A two-party record proposed by the association and confirmed by the company."""
    s = svc(app)
    record_id = await partnerships.propose_record(
        s.db, partnership.id, partnership.association_id, giver="other", kind=kind,
        description=description, hours=hours, value_eur=value, now=clock(),
    )  # fmt: skip
    found = await partnerships.get_record(s.db, record_id)
    current = await partnerships.get(s.db, partnership.id)
    assert found is not None
    assert current is not None
    assert await partnerships.confirm_record(s.db, found, current, clock(), s.policy.nudges)


async def small_network(standin: BotApiStandIn, app: BotApp, clock: Clock, base: int) -> Network:
    """Three associations (needing a web site and communication; one also a lawyer, which no
    company offers), two companies (web; communication). Over two months: three pairs
    introduced, two met, one agreed with a record (skills, 40 h, 2 000 €) then carried out,
    one with a record (goods, no hours, 500 €), one with no contact."""
    companies = [
        await seed(app, standin, company_profile(base + 1, "Pixel & Co", (Item("web"),))),
        await seed(app, standin, company_profile(base + 2, "=Agence Com", (Item("comms"),))),
    ]
    lawyerless = replace(association_profile(base + 12, "Les Tournesols"), needs=(Item("legal"),))
    associations = [
        await seed(app, standin, association_profile(base + 11, "Amis du Parc")),
        await seed(app, standin, lawyerless),
        await seed(app, standin, association_profile(base + 13, "Banque Alimentaire")),
    ]
    s = svc(app)
    first = await pair(app, clock, associations[0], companies[0])
    second = await pair(app, clock, associations[2], companies[0])
    third = await pair(app, clock, associations[2], companies[1])
    clock.advance(days=4)
    assert await partnerships.move(s.db, first, Stage.IN_CONTACT, clock(), s.policy.nudges)
    assert await partnerships.move(s.db, third, Stage.NO_CONTACT, clock(), s.policy.nudges)
    clock.advance(days=6)
    first = await _now(app, first)
    assert await partnerships.move(s.db, first, Stage.MET, clock(), s.policy.nudges)
    assert await partnerships.move(s.db, second, Stage.MET, clock(), s.policy.nudges)
    clock.advance(days=20)
    await record(app, clock, await _now(app, first), kind="skills",
                 description="Refonte du site internet", hours=40, value=2000)  # fmt: skip
    clock.advance(days=10)
    await record(app, clock, await _now(app, second), kind="goods",
                 description="Dix ordinateurs portables", hours=None, value=500)  # fmt: skip
    clock.advance(days=5)
    assert await partnerships.move(
        s.db, await _now(app, first), Stage.CARRIED_OUT, clock(), s.policy.nudges
    )
    return Network(associations, companies)


async def _now(app: BotApp, partnership: Partnership) -> Partnership:
    found = await partnerships.get(svc(app).db, partnership.id)
    assert found is not None
    return found


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header (and a check that it is one)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    assert data.rstrip(b"\x00")[-8:-4] == b"IEND" or b"IEND" in data[-12:], "truncated PNG"
    return width, height


def open_png(data: bytes) -> tuple[int, int]:
    """The picture decoded in full (Pillow), as a phone would."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        return image.size
