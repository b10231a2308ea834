-- The retention job (clavebot retention) deletes audit events by age.
CREATE INDEX audit_at ON audit (at);
