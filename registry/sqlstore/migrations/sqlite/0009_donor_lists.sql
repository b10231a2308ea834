-- What a citizen lends to other people's identity questions as a donor
-- (registry/distractors.go): the names of their employers and of their
-- benefits, JSON arrays in the file's order, written by every import beside
-- the employers and benefits tables. A question set draws 60 donors: read
-- from these columns that is 60 rows by primary key, where the tables took
-- 120 more index scans and aggregates, three quarters of PostgreSQL's time
-- under load (issue 14). NULL in rows imported before this migration: their
-- donors' lists are then read from the tables, until the next import.
ALTER TABLE citizens ADD COLUMN lent_employers TEXT;
ALTER TABLE citizens ADD COLUMN lent_benefits TEXT;
