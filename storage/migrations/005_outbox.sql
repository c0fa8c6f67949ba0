-- The outbox: every message that announces a state change, written in the same transaction
-- as that change, then sent by the dispatcher (handlers/delivery.py).
-- pending → sending (claimed) → sent; or failed (Telegram refused it: a bug, logged),
-- held (the recipient blocked the bot: sent again if they come back), cancelled.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    chat_id      INTEGER NOT NULL,
    recipient_id INTEGER REFERENCES organisations (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    method       TEXT NOT NULL CHECK (method IN ('message', 'document', 'photo')),
    payload      TEXT NOT NULL,
    file         BLOB,
    bulk         INTEGER NOT NULL DEFAULT 1,
    due_at       TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'held', 'cancelled')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    created_at   TEXT NOT NULL,
    claimed_at   TEXT,
    sent_at      TEXT,
    message_id   INTEGER
);
CREATE INDEX outbox_due ON outbox (state, due_at);
CREATE INDEX outbox_chat ON outbox (chat_id, state, id);
