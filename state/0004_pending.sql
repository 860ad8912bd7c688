-- Creates sent to AWS whose answer is not recorded yet: the exactly-once journal. An intent is
-- written, in its own transaction, before a create is sent; the transaction that records the new
-- object deletes it. An intent the next run finds means the run that wrote it died or lost AWS's
-- answer: the object may exist, and is looked up by its natural key (a route's api and route key)
-- before anything else happens, then adopted into `resources`, or the intent is dropped.
CREATE TABLE pending (
    address      TEXT PRIMARY KEY,  -- the resource being created
    type         TEXT NOT NULL,
    arguments    TEXT NOT NULL,     -- JSON object: what the create sends, parent ids and region among it
    dependencies TEXT NOT NULL,     -- JSON array of addresses, kept when the object is adopted
    created      TEXT NOT NULL      -- RFC 3339, UTC: just before the create was sent
);

-- The history records intents too, so that every serial has its row.
CREATE TABLE versions_new (
    serial       INTEGER PRIMARY KEY,
    created      TEXT    NOT NULL,
    who          TEXT    NOT NULL,
    operation    TEXT    NOT NULL,
    address      TEXT    NOT NULL,
    change       TEXT    NOT NULL CHECK (change IN ('put', 'remove', 'intend', 'drop-intent')),
    attributes   TEXT,
    dependencies TEXT
);
INSERT INTO versions_new SELECT * FROM versions;
DROP TABLE versions;
ALTER TABLE versions_new RENAME TO versions;

-- The pid namespace of the lock's holder: a lock left by a dead process is taken over only when
-- it ran on this host in this namespace, not in another container with the same host name.
ALTER TABLE lock ADD COLUMN pid_namespace TEXT;
