-- Dashboard users. One row per username after merges (the highest version
-- wins): every change (role, password, language, disabling) is a new version
-- of the whole row, and removing a user is a version with removed = 1, so a
-- removed name stays out of every read (reads use FINAL).
CREATE TABLE IF NOT EXISTS {db}.users
(
    username String,
    -- viewer | responder | admin
    role LowCardinality(String),
    -- self-describing: scrypt$N$r$p$salt$hash (see pipeline/users/password-hash.ts)
    password_hash String,
    -- when the password was last set (not when it was merely rehashed): sessions opened before it end
    password_set_at DateTime64(3, 'UTC'),
    -- en | pl | ru; '' = not chosen yet
    lang LowCardinality(String),
    -- an IANA zone such as Europe/Warsaw; '' = the browser's own
    time_zone String,
    disabled UInt8,
    removed UInt8,
    created_at DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC'),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY username;
