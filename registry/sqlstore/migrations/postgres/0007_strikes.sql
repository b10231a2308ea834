-- Locks in a row without a success in between (reset when the row is
-- deleted on a pass): each lasts twice the one before, up to the rule's
-- maximum, so answers cannot be enumerated at a steady pace.
ALTER TABLE lockouts ADD COLUMN strikes INTEGER NOT NULL DEFAULT 0;
