-- Issue 9: every request checked, one effect per action, erasure that erases.

-- An organisation whose owner used /delete stays as an anonymous row (kind only, every personal
-- field blanked, owner_user_id set to minus its id so it matches no Telegram user): the other
-- side's partnerships and records, and the network's figures, keep pointing at it. Readers
-- skip rows with left_at set.
ALTER TABLE organisations ADD COLUMN left_at TEXT;

-- One request per pair, whichever side asked first: when both press "Interested", the second
-- press accepts the first request instead of sending another one. Reverse duplicates that an
-- older version let through are dropped first (the older request of the pair stays).
DELETE FROM interests WHERE id IN (
    SELECT b.id FROM interests a JOIN interests b
    ON a.from_id = b.to_id AND a.to_id = b.from_id AND a.id < b.id
);
CREATE UNIQUE INDEX interests_pair ON interests (min(from_id, to_id), max(from_id, to_id));

-- One confirmed record per partnership: a later confirmed version supersedes the earlier one,
-- so a pair never counts twice in a report.
UPDATE partnership_records SET status = 'superseded'
WHERE status = 'confirmed' AND id NOT IN (
    SELECT MAX(id) FROM partnership_records WHERE status = 'confirmed' GROUP BY partnership_id
);
CREATE UNIQUE INDEX partnership_records_confirmed
ON partnership_records (partnership_id) WHERE status = 'confirmed';

-- What the participants were last sent: `revision` grows with every change that alters an
-- agenda (a join, a departure, an edit); publishing again with nothing changed sends nothing.
ALTER TABLE events ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN published_revision INTEGER;

-- Messages Telegram has taken (or that were dropped) keep no content: kind, chat, dates and
-- state are enough for counts and support.
UPDATE outbox SET payload = '{}', file = NULL WHERE state IN ('sent', 'cancelled');
