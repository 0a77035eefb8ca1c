-- Work that one instance at a time should do (the events catch-up): whoever
-- holds the named lease until `expires_at`. Taken or renewed in one
-- statement, so two instances never both hold it.
CREATE TABLE leases (
    name       TEXT    PRIMARY KEY,
    holder     TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
);
