-- Contact data of citizens (CONTRACT §2): at most one e-mail and one phone
-- (E.164) each. verified_at is when the person proved it is theirs (a
-- one-time code came back, or WhatsApp showed the message came from that
-- phone); NULL when never.
CREATE TABLE contacts (
    cuil        TEXT NOT NULL REFERENCES citizens (cuil) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('email', 'phone')),
    value       TEXT NOT NULL,
    verified_at TIMESTAMPTZ,
    updated_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (cuil, kind)
);

-- One-time codes sent to a contact: never the code, only an HMAC keyed by
-- the service and by the reference the chat keeps. A row lives until it is
-- used, withdrawn or expired (the retention job deletes expired ones).
CREATE TABLE contact_codes (
    id         TEXT PRIMARY KEY,
    cuil       TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    value      TEXT NOT NULL,
    hash       TEXT NOT NULL,
    sent_at    TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX contact_codes_expires ON contact_codes (expires_at);

-- The last code sent to each contact of a CUIL (dest: a keyed hash of the
-- contact), so that at most one goes out a minute, across replicas.
CREATE TABLE code_sends (
    cuil    TEXT NOT NULL,
    dest    TEXT NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (cuil, dest)
);
