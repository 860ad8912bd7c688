-- The first schema of the gateform state file.

-- One row: the state's identity and its write counter.
CREATE TABLE meta (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    lineage TEXT    NOT NULL,   -- uuid fixed for the life of the state
    serial  INTEGER NOT NULL    -- bumped on every write; writers compare-and-swap on it
);

-- The resources gateform manages, by address.
CREATE TABLE resources (
    address        TEXT    PRIMARY KEY,  -- aws_apigatewayv2_route.example
    type           TEXT    NOT NULL,     -- aws_apigatewayv2_route
    remote_id      TEXT    NOT NULL,     -- the id AWS gave it
    attributes     TEXT    NOT NULL,     -- JSON object of every attribute, null when unset
    dependencies   TEXT    NOT NULL,     -- JSON array of addresses it depended on when applied
    schema_version INTEGER NOT NULL
);

-- Append-only history: one row per serial, enough to replay any earlier state.
CREATE TABLE versions (
    serial       INTEGER PRIMARY KEY,
    created      TEXT    NOT NULL,   -- RFC 3339, UTC
    who          TEXT    NOT NULL,
    operation    TEXT    NOT NULL,   -- apply, destroy
    address      TEXT    NOT NULL,
    change       TEXT    NOT NULL CHECK (change IN ('put', 'remove')),
    attributes   TEXT,               -- the new attributes of a put
    dependencies TEXT
);

-- At most one row: who holds the state for writing.
CREATE TABLE lock (
    id        TEXT    PRIMARY KEY,
    operation TEXT    NOT NULL,
    who       TEXT    NOT NULL,
    pid       INTEGER NOT NULL,
    host      TEXT    NOT NULL,
    created   TEXT    NOT NULL
);
