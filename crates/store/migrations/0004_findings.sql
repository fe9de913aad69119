-- v4: findings (what keeps a product or order out of sync, with what to fix) and notifications,
-- deduplicated by a stable key with first/last seen so a problem seen every 15 minutes is one row.
CREATE TABLE findings (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    code        TEXT,
    message     TEXT NOT NULL,
    what_to_fix TEXT NOT NULL,
    detail      TEXT, -- JSON
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    seen_count  INTEGER NOT NULL DEFAULT 1,
    resolved_at TEXT,
    run_id      INTEGER REFERENCES sync_runs (id)
) STRICT;
CREATE INDEX findings_open ON findings (last_seen) WHERE resolved_at IS NULL;

CREATE TABLE notifications (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    first_seen   TEXT NOT NULL,
    last_seen    TEXT NOT NULL,
    seen_count   INTEGER NOT NULL DEFAULT 1,
    dismissed_at TEXT
) STRICT;
