"""The match index is loaded in the background at start-up, so that the bot answers at once.

Reading 100,000 organisations from SQLite and indexing them takes seconds, and before that the
learned reader of typed phrases trains (a few seconds, in a thread: indexing reads each
item's words with it); `/help` must not wait for either. Organisations are read and indexed a
page at a time, and the event loop serves updates between pages. Updates that may read the
index wait for it (without holding a concurrency slot, see bot/processing.py); the few
commands that never read it go straight through. Edits made meanwhile (a profile confirmed,
paused, deleted) are applied to the index at once and are not overwritten by an older copy
read for the load (`MatchIndex.load`).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from importlib import metadata
from pathlib import Path

from telegram import Update

from core import learned
from core.matching import MatchIndex
from core.models import OrgStatus
from core.taxonomy import Taxonomy
from storage import organisations
from storage.db import Database

log = logging.getLogger(__name__)

# Commands that never read the match index: answered at once, even while it loads.
WITHOUT_INDEX = frozenset(
    {"help", "start", "language", "cancel", "profile", "partnerships", "pipeline", "events",
     "newevent"}
)  # fmt: skip
# Organisations read and indexed between two looks at the event loop (about 50 ms each).
PAGE = 1000
# After a failed load (the database busy or broken), it is tried again after this.
RETRY_SECONDS = 5.0


async def train_reader(taxonomy: Taxonomy, cache: Path | None = None) -> None:
    """Trains the learned reader of typed phrases in a thread (a few seconds; the event loop
    goes on answering meanwhile), then reads with it; until then, what needs it waits for the
    index (see `IndexWarmup`). With a `cache` folder, the trained reader is kept there, named
    after what it was trained on, so that a restart reads it back in a blink instead of
    training again."""
    if not taxonomy.trained:
        taxonomy.use(learned.TextReader(await asyncio.to_thread(_compiled, taxonomy, cache)))


def _compiled(taxonomy: Taxonomy, cache: Path | None) -> learned.Compiled:
    """The reader read back from the cache, or trained (and kept): all of it off the loop."""
    stored = cache / f"reader-{_fingerprint(taxonomy)}.npz" if cache is not None else None
    if stored is not None and stored.exists():
        try:
            found = learned.load_compiled(stored)
            log.info("learned reader read from its cache")
            return found
        except Exception:  # unreadable: trained again below
            log.warning("the learned reader's cache is unreadable; training again")
    found = learned.compile_reader(taxonomy.documents())
    log.info("learned reader trained")
    if stored is not None:
        try:
            _keep(found, stored)
        except OSError:
            log.warning("could not keep the learned reader in its cache", exc_info=True)
    return found


def _fingerprint(taxonomy: Taxonomy) -> str:
    """What a trained reader depends on (`Taxonomy.recipe`: its examples, terms and code) and
    scikit-learn's version."""
    recipe = [taxonomy.recipe(), metadata.version("scikit-learn")]
    return hashlib.sha256(json.dumps(recipe).encode()).hexdigest()[:16]


def _keep(found: learned.Compiled, path: Path) -> None:
    """Writes the reader (then renames: a half-written file is never read), older ones gone."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob("reader-*.npz"):
        old.unlink(missing_ok=True)
    partial = path.with_suffix(".part")
    learned.save_compiled(found, partial)
    partial.replace(path)


def needs_index(update: Update) -> bool:
    """Whether handling this update may read the match index (when unsure: yes)."""
    message = update.message
    text = message.text if message is not None else None
    if text is None or not text.startswith("/"):
        return True
    command = text[1:].split(maxsplit=1)[0].split("@")[0].lower() if len(text) > 1 else ""
    return command not in WITHOUT_INDEX


class IndexWarmup:
    """Fills the match index from storage in the background and lets updates wait for it."""

    def __init__(
        self,
        db: Database,
        index: MatchIndex,
        *,
        patience: float,
        on_timeout: Callable[[Update], Awaitable[None]],
        then: Callable[[], None] = lambda: None,
        page: int = PAGE,
        prepare: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._db = db
        self._index = index
        self._patience = patience
        self._on_timeout = on_timeout
        self._then = then
        self._page = page
        self._prepare = prepare
        self._ready = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    def start(self) -> None:
        self._index.start_loading()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="index warm-up")

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def wait(self) -> None:
        await self._ready.wait()

    async def _run(self) -> None:
        if self._prepare is not None:
            # The learned reader the index reads items' words with (`train_reader`).
            await self._prepare()
        while True:
            try:
                await self._load()
                break
            except Exception:
                log.exception("loading the match index failed; trying again")
                await asyncio.sleep(RETRY_SECONDS)
        self._index.finish_loading()
        self._ready.set()
        log.info("match index ready: %d organisations", len(self._index))
        self._then()

    async def _load(self) -> None:
        after = 0
        while page := await organisations.list_page(
            self._db, status=OrgStatus.ACTIVE, after_id=after, limit=self._page
        ):
            self._index.load(page)
            after = page[-1].id

    async def admit(self, update: Update) -> bool:
        """Wait (up to `patience`) for the index if the update may need it; when it takes
        longer, tell the user to come back in a minute and skip the update (False)."""
        if self._ready.is_set() or not needs_index(update):
            return True
        try:
            await asyncio.wait_for(self._ready.wait(), self._patience)
        except TimeoutError:
            await self._on_timeout(update)
            return False
        return True
