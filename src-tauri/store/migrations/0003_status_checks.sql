-- When to ask CubeConnect for an outbound message's status next (contract decision 8: first
-- after 30 s, the interval doubling up to 15 min, no more after 7 days), and the interval used.
ALTER TABLE messages ADD COLUMN status_check_at INTEGER;
ALTER TABLE messages ADD COLUMN status_check_interval_ms INTEGER;
CREATE INDEX messages_status_check ON messages (status_check_at) WHERE status_check_at IS NOT NULL;
