-- The organisers' console (issue 12): stage history, moderation, the audit log, news.

-- Every stage a partnership entered, and when. Triggers write it in the same transaction as
-- the insert or the move, whichever module makes them (introductions, events, records, moves):
-- the funnel and the median days between stages are read from here.
CREATE TABLE partnership_stages (
    id             INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    stage          TEXT NOT NULL,
    entered_at     TEXT NOT NULL
);
CREATE INDEX partnership_stages_partnership ON partnership_stages (partnership_id, entered_at);

-- Pairs introduced before this migration: where they started (a pair created on the spot at a
-- speed meeting, with no caller, started at 'met'), then their current stage if it differs.
-- The stages in between were not recorded then.
INSERT INTO partnership_stages (partnership_id, stage, entered_at)
SELECT id, CASE WHEN event_id IS NOT NULL AND caller_id IS NULL THEN 'met' ELSE 'introduced' END,
       created_at
FROM partnerships;
INSERT INTO partnership_stages (partnership_id, stage, entered_at)
SELECT id, stage, COALESCE(stage_changed_at, updated_at)
FROM partnerships
WHERE stage != CASE WHEN event_id IS NOT NULL AND caller_id IS NULL THEN 'met' ELSE 'introduced' END;

CREATE TRIGGER partnership_stage_created AFTER INSERT ON partnerships
BEGIN
    INSERT INTO partnership_stages (partnership_id, stage, entered_at)
    VALUES (NEW.id, NEW.stage, COALESCE(NEW.stage_changed_at, NEW.created_at));
END;

CREATE TRIGGER partnership_stage_moved AFTER UPDATE OF stage ON partnerships
WHEN NEW.stage IS NOT OLD.stage
BEGIN
    INSERT INTO partnership_stages (partnership_id, stage, entered_at)
    VALUES (NEW.id, NEW.stage, COALESCE(NEW.stage_changed_at, NEW.updated_at));
END;

-- What the figures read by date or by pair.
CREATE INDEX partnerships_created ON partnerships (created_at);
CREATE INDEX partnerships_event ON partnerships (event_id);
CREATE INDEX partnership_records_partnership ON partnership_records (partnership_id, status);
CREATE INDEX partnership_records_confirmed_at ON partnership_records (status, confirmed_at);

-- "Signaler": a report about an organisation (its card, or a message showing it), with the
-- text the reporter saw. One open report per reporter and organisation.
CREATE TABLE reports (
    id               INTEGER PRIMARY KEY,
    reporter_user_id INTEGER NOT NULL,
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    reason           TEXT NOT NULL,
    seen_text        TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at       TEXT NOT NULL,
    closed_by        INTEGER,
    closed_at        TEXT
);
CREATE UNIQUE INDEX reports_open ON reports (reporter_user_id, organisation_id)
    WHERE status = 'open';

-- An organisation paused or removed by an organiser. Its status is 'paused' meanwhile (so
-- matching, notifications and nudges leave it alone); the owner cannot resume it; restoring
-- puts back the status it had.
CREATE TABLE moderation (
    organisation_id INTEGER PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
    action          TEXT NOT NULL CHECK (action IN ('paused', 'removed')),
    reason          TEXT NOT NULL,
    previous_status TEXT NOT NULL,
    by_user_id      INTEGER NOT NULL,
    created_at      TEXT NOT NULL
);

-- Every organiser action: who, what, on what, when.
CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY,
    actor_user_id INTEGER NOT NULL,
    action        TEXT NOT NULL,
    target        TEXT NOT NULL DEFAULT '',
    detail        TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
);
CREATE INDEX audit_log_created ON audit_log (created_at);

-- Organisers' names as Telegram last showed them (for "created by" and the audit log).
CREATE TABLE organisers (
    user_id INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,
    seen_at TEXT NOT NULL
);

-- News from the network (/broadcast): the text, its audience, and one delivery per recipient,
-- turned into an outbox message when quiet hours and the daily cap allow.
CREATE TABLE news (
    id             INTEGER PRIMARY KEY,
    author_user_id INTEGER NOT NULL,
    audience       TEXT NOT NULL,
    event_id       INTEGER REFERENCES events (id) ON DELETE SET NULL,
    text           TEXT NOT NULL,
    recipients     INTEGER NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE TABLE news_deliveries (
    news_id         INTEGER NOT NULL REFERENCES news (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    due_at          TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'queued', 'skipped')),
    queued_at       TEXT,
    PRIMARY KEY (news_id, organisation_id)
);
CREATE INDEX news_deliveries_due ON news_deliveries (state, due_at);
CREATE INDEX news_deliveries_recipient ON news_deliveries (organisation_id, queued_at);

-- People who said /news off: they stay registered and get everything else.
CREATE TABLE news_optout (
    user_id    INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL
);
