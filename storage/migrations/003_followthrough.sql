-- Scheduled questions ("nudges"): who gets which question, about what, when, and how far
-- its delivery went. pending → sending (claimed) → sent → answered; or cancelled / ignored.
CREATE TABLE nudges (
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,
    recipient_id   INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    partnership_id INTEGER REFERENCES partnerships (id) ON DELETE CASCADE,
    interest_id    INTEGER REFERENCES interests (id) ON DELETE CASCADE,
    due_at         TEXT NOT NULL,
    state          TEXT NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'sending', 'sent', 'answered', 'cancelled',
                                    'ignored')),
    asked_before   INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    claimed_at     TEXT,
    sent_at        TEXT,
    message_id     INTEGER,
    answered_at    TEXT
);
CREATE INDEX nudges_due ON nudges (state, due_at);
CREATE INDEX nudges_partnership ON nudges (partnership_id, state);

ALTER TABLE partnerships ADD COLUMN caller_id INTEGER;
ALTER TABLE partnerships ADD COLUMN stage_changed_at TEXT;
ALTER TABLE partnerships ADD COLUMN stuck_since TEXT;

-- The two-party partnership record: who gives what to whom, stated by one side and confirmed
-- (or corrected) by the other, like the match form signed at exchange events.
CREATE TABLE partnership_records (
    id             INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id) ON DELETE CASCADE,
    proposer_id    INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    giver          TEXT NOT NULL CHECK (giver IN ('proposer', 'other', 'both')),
    kind           TEXT NOT NULL,
    description    TEXT NOT NULL,
    hours          REAL,
    value_eur      REAL,
    status         TEXT NOT NULL DEFAULT 'proposed'
                   CHECK (status IN ('proposed', 'confirmed', 'superseded')),
    created_at     TEXT NOT NULL,
    confirmed_at   TEXT
);
