-- An agent's role (agent or supervisor) and the account's epoch: drawn
-- anew when an account is created, so the sessions of a removed account
-- never come back when its name is reused.
ALTER TABLE desk_agents ADD COLUMN role TEXT NOT NULL DEFAULT 'agent';
ALTER TABLE desk_agents ADD COLUMN epoch TEXT NOT NULL DEFAULT '';
