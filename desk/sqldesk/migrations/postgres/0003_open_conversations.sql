-- The records still open, for the check of those the queue lost
-- (desk.Handoffs.CloseLost, every few minutes on every replica): without
-- it the check read the whole history of closed records each time.
CREATE INDEX desk_conversations_open ON desk_conversations (enqueued_at) WHERE closed_at IS NULL;
