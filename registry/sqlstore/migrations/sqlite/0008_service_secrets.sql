-- Secrets of the deployment drawn at random on first use and shared by
-- every process on this database: the seed of identity questions when
-- CLAVEBOT_QUESTION_SECRET is not set, which nobody without the database
-- can work out.
CREATE TABLE service_secrets (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
