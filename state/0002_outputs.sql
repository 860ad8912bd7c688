-- The root module's output values, as the last apply left them.
CREATE TABLE outputs (
    name      TEXT    PRIMARY KEY,
    value     TEXT    NOT NULL,     -- JSON
    sensitive INTEGER NOT NULL      -- 1 when the output is declared sensitive
);
