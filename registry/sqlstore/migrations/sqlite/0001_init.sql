-- The registry: citizens as ANSES knows them, their keys, lockouts and the
-- audit trail. Child rows keep the file's order in ord. Dates are TEXT
-- YYYY-MM-DD and instants TEXT RFC 3339 in UTC, which sort as they compare.
CREATE TABLE citizens (
    cuil           TEXT PRIMARY KEY CHECK (length(cuil) = 11 AND cuil NOT GLOB '*[^0-9]*'),
    dni            TEXT NOT NULL,
    first_names    TEXT NOT NULL,
    last_names     TEXT NOT NULL,
    birth_date     TEXT NOT NULL,
    sex            TEXT NOT NULL DEFAULT '',
    dni_issue_date TEXT NOT NULL,
    birth_province TEXT NOT NULL,
    social_name    TEXT NOT NULL DEFAULT '',
    dni_tramite    TEXT NOT NULL DEFAULT '',
    updated_at     TEXT NOT NULL
);

CREATE TABLE employers (
    cuil       TEXT NOT NULL REFERENCES citizens (cuil) ON DELETE CASCADE,
    ord        INTEGER NOT NULL,
    name       TEXT NOT NULL,
    cuit       TEXT NOT NULL DEFAULT '',
    from_month TEXT NOT NULL,
    to_month   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (cuil, ord)
);

CREATE TABLE benefits (
    cuil  TEXT NOT NULL REFERENCES citizens (cuil) ON DELETE CASCADE,
    ord   INTEGER NOT NULL,
    name  TEXT NOT NULL,
    since TEXT NOT NULL,
    PRIMARY KEY (cuil, ord)
);

-- hash is a PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash): it
-- carries its own salt and parameters.
CREATE TABLE keys (
    cuil   TEXT PRIMARY KEY REFERENCES citizens (cuil) ON DELETE CASCADE,
    hash   TEXT NOT NULL,
    set_at TEXT NOT NULL
);

-- No foreign key: failures against a CUIL are counted whatever it is.
CREATE TABLE lockouts (
    cuil         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    PRIMARY KEY (cuil, kind)
);

CREATE TABLE audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    cuil    TEXT NOT NULL,
    action  TEXT NOT NULL,
    channel TEXT NOT NULL DEFAULT '',
    detail  TEXT NOT NULL DEFAULT ''
);

CREATE INDEX audit_cuil_at ON audit (cuil, at);
