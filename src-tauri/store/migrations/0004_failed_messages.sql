-- The inbox's "failed messages" filter: the conversations holding a failed send, without
-- reading every message.
CREATE INDEX messages_failed ON messages (conversation_id) WHERE status = 'failed';
