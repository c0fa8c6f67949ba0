-- "Not for us": the pair is never suggested again, in either direction.
CREATE TABLE dismissals (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    other_id        INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (organisation_id, other_id)
);

-- "Interested": a request from one organisation to another, answered or not.
CREATE TABLE interests (
    id          INTEGER PRIMARY KEY,
    from_id     INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    to_id       INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'accepted', 'declined', 'expired')),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    answered_at TEXT,
    UNIQUE (from_id, to_id)
);
CREATE INDEX interests_to ON interests (to_id, status);

-- Introduced pairs: the partnership pipeline starts here (stage 'introduced').
CREATE TABLE partnerships (
    id             INTEGER PRIMARY KEY,
    association_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    company_id     INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    stage          TEXT NOT NULL DEFAULT 'introduced',
    interest_id    INTEGER REFERENCES interests (id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (association_id, company_id)
);

-- Match notifications waiting to be sent (or sent): one per recipient and organisation.
CREATE TABLE notifications (
    id           INTEGER PRIMARY KEY,
    recipient_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    about_id     INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    score        REAL NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'sent', 'digested', 'dropped')),
    due_at       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    sent_at      TEXT,
    UNIQUE (recipient_id, about_id)
);
CREATE INDEX notifications_due ON notifications (status, due_at);

-- Someone who blocked the bot: nothing more is sent until they write again.
ALTER TABLE organisations ADD COLUMN unreachable_since TEXT;
