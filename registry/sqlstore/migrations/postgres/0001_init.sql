-- The registry: citizens as ANSES knows them, their keys, lockouts and the
-- audit trail. Child rows keep the file's order in ord.
CREATE TABLE citizens (
    cuil           TEXT PRIMARY KEY CHECK (cuil ~ '^[0-9]{11}$'),
    dni            TEXT NOT NULL,
    first_names    TEXT NOT NULL,
    last_names     TEXT NOT NULL,
    birth_date     DATE NOT NULL,
    sex            TEXT NOT NULL DEFAULT '',
    dni_issue_date DATE NOT NULL,
    birth_province TEXT NOT NULL,
    social_name    TEXT NOT NULL DEFAULT '',
    dni_tramite    TEXT NOT NULL DEFAULT '',
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
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
    set_at TIMESTAMPTZ NOT NULL
);

-- No foreign key: failures against a CUIL are counted whatever it is.
CREATE TABLE lockouts (
    cuil         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    failures     INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    PRIMARY KEY (cuil, kind)
);

CREATE TABLE audit (
    id      BIGSERIAL PRIMARY KEY,
    at      TIMESTAMPTZ NOT NULL,
    cuil    TEXT NOT NULL,
    action  TEXT NOT NULL,
    channel TEXT NOT NULL DEFAULT '',
    detail  TEXT NOT NULL DEFAULT ''
);

CREATE INDEX audit_cuil_at ON audit (cuil, at);
