-- Objects a create_before_destroy replacement has replaced but not deleted yet. The old object
-- moves here in the same transaction that records its replacement, and leaves when its delete
-- succeeds: an apply stopped in between leaves nothing in AWS unrecorded.
CREATE TABLE deposed (
    address      TEXT NOT NULL,   -- the address of the resource it was
    remote_id    TEXT NOT NULL,   -- the id AWS gave it
    attributes   TEXT NOT NULL,   -- JSON object, as in resources
    dependencies TEXT NOT NULL,   -- JSON array of addresses
    PRIMARY KEY (address, remote_id)
);
