-- Failed sign-ins, counted per e-mail address tried ('email:…') and per
-- client address ('addr:…'), so that guessing is slowed down however it is
-- spread, and the count survives a restart.
CREATE TABLE sign_in_failures (
    key           TEXT    PRIMARY KEY,
    failures      INTEGER NOT NULL,
    -- Unix seconds before which every attempt under this key is refused.
    blocked_until INTEGER NOT NULL DEFAULT 0,
    updated_at    INTEGER NOT NULL
);
