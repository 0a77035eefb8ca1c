-- Failed sign-ins, counted per e-mail address tried ('email:…') and per
-- client address ('addr:…'), so that guessing is slowed down however it is
-- spread, and the count survives a restart.
CREATE TABLE sign_in_failures (
    key           TEXT    PRIMARY KEY,
    failures      BIGINT  NOT NULL,
    -- Unix seconds before which every attempt under this key is refused.
    blocked_until BIGINT  NOT NULL DEFAULT 0,
    updated_at    BIGINT  NOT NULL
);
