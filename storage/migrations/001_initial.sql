-- Users who talked to the bot: their language, and the deep-link payload they arrived with.
CREATE TABLE users (
    user_id       INTEGER PRIMARY KEY,
    language      TEXT,
    start_payload TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

-- Confirmed profiles. One organisation per Telegram account.
CREATE TABLE organisations (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('association', 'company')),
    name            TEXT NOT NULL,
    description     TEXT NOT NULL,
    location_text   TEXT NOT NULL DEFAULT '',
    location_remote INTEGER NOT NULL DEFAULT 0,
    contact_name    TEXT NOT NULL,
    email           TEXT,
    phone           TEXT,
    owner_user_id   INTEGER NOT NULL UNIQUE,
    owner_username  TEXT,
    language        TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused')),
    source_payload  TEXT,
    consented_at    TEXT NOT NULL,
    confirmed_at    TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- Needs and offers: a taxonomy category plus the owner's own words.
CREATE TABLE organisation_items (
    id              INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    direction       TEXT NOT NULL CHECK (direction IN ('need', 'offer')),
    position        INTEGER NOT NULL,
    category        TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '',
    UNIQUE (organisation_id, direction, position)
);
CREATE INDEX organisation_items_category ON organisation_items (category, direction);

-- Conversations in progress: the step a user is at and everything answered so far, written
-- with every answer so that a crash loses nothing.
CREATE TABLE conversations (
    name       TEXT NOT NULL,
    chat_id    INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    state      TEXT NOT NULL,
    data       TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (name, chat_id, user_id)
);
