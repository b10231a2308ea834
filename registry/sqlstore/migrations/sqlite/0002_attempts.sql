-- Attempts reserved against a lockout (identity questions shown, a key
-- being compared): each counts as a failure in lockouts.failures until it
-- is settled, once, and can be settled only while its row exists. A lock
-- or a pass deletes the rows of its CUIL and kind, so an attempt of an
-- earlier lock window cannot be settled.
CREATE TABLE attempts (
    id         TEXT PRIMARY KEY,
    cuil       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    expires_at TEXT NOT NULL
);

CREATE INDEX attempts_cuil_kind ON attempts (cuil, kind);

-- Sources (a keyed hash of the device or address the portal passes) that
-- verified a CUIL's key: their wrong keys are counted apart from
-- strangers'.
CREATE TABLE key_sources (
    cuil    TEXT NOT NULL,
    source  TEXT NOT NULL,
    last_ok TEXT NOT NULL,
    PRIMARY KEY (cuil, source)
);
