CREATE TABLE desk_agents (
	name          TEXT PRIMARY KEY,
	password_hash TEXT NOT NULL,
	created_at    BIGINT NOT NULL
);

CREATE TABLE desk_conversations (
	id          TEXT PRIMARY KEY,
	chat        TEXT NOT NULL,
	channel     TEXT NOT NULL,
	reason      TEXT NOT NULL,
	cuil        TEXT NOT NULL DEFAULT '',
	validated   INTEGER NOT NULL DEFAULT 0,
	in_hours    INTEGER NOT NULL DEFAULT 1,
	agent       TEXT,
	enqueued_at BIGINT NOT NULL,
	taken_at    BIGINT,
	closed_at   BIGINT,
	outcome     TEXT,
	rating      INTEGER
);
CREATE INDEX desk_conversations_enqueued ON desk_conversations (enqueued_at);
CREATE INDEX desk_conversations_chat ON desk_conversations (chat, enqueued_at);

CREATE TABLE desk_messages (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	conversation_id TEXT NOT NULL REFERENCES desk_conversations (id) ON DELETE CASCADE,
	at              BIGINT NOT NULL,
	sender          TEXT NOT NULL,
	agent           TEXT NOT NULL DEFAULT '',
	body            TEXT NOT NULL
);
CREATE INDEX desk_messages_conversation ON desk_messages (conversation_id, id);

CREATE TABLE desk_funnel (
	day   TEXT NOT NULL,
	flow  TEXT NOT NULL,
	stage TEXT NOT NULL,
	n     BIGINT NOT NULL,
	PRIMARY KEY (day, flow, stage)
);
