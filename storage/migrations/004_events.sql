-- Speed meetings ("bourses d'échanges"): a table each, rotations of a few minutes.
CREATE TABLE events (
    id                INTEGER PRIMARY KEY,
    title             TEXT NOT NULL,
    starts_at         TEXT NOT NULL,
    venue             TEXT NOT NULL,
    minutes           INTEGER NOT NULL,
    tables            INTEGER NOT NULL,
    rounds            INTEGER NOT NULL,
    max_per_side      INTEGER NOT NULL,
    status            TEXT NOT NULL DEFAULT 'open'
                      CHECK (status IN ('open', 'published', 'cancelled')),
    live              INTEGER NOT NULL DEFAULT 0,
    invite_code       TEXT NOT NULL UNIQUE,
    organiser_user_id INTEGER NOT NULL,
    schedule_version  INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);

CREATE TABLE event_participants (
    event_id        INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    joined_at       TEXT NOT NULL,
    PRIMARY KEY (event_id, organisation_id)
);

-- "I want to meet them", from one participant about one of the other side.
CREATE TABLE event_wishes (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    who_id   INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    whom_id  INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, who_id, whom_id)
);

-- The published schedule.
CREATE TABLE event_meetings (
    event_id       INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    company_id     INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    association_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    round          INTEGER NOT NULL,
    table_no       INTEGER NOT NULL,
    PRIMARY KEY (event_id, company_id, association_id)
);

-- "I want to follow up with them" after a meeting; mutual marks become introductions.
CREATE TABLE event_marks (
    event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    who_id     INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    whom_id    INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (event_id, who_id, whom_id)
);

ALTER TABLE nudges ADD COLUMN event_id INTEGER REFERENCES events (id) ON DELETE CASCADE;
ALTER TABLE nudges ADD COLUMN round INTEGER;
ALTER TABLE partnerships ADD COLUMN event_id INTEGER REFERENCES events (id) ON DELETE SET NULL;
