-- Newest-first search reads the message index in time order. The index's rowid becomes a key that
-- sorts like (created_at, id), so FTS5 hands back the newest matches first and a page stops after
-- fifty of them, instead of sorting every match (a common word matches tens of thousands of
-- messages in a large archive). search_keys maps each key to its message.
CREATE TABLE search_keys (
    key        INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL UNIQUE
);

-- The old index is keyed by message id: rebuild it with the new keys, in the background as after
-- the archive upgrade that introduced search.
DROP TABLE message_search;
CREATE VIRTUAL TABLE message_search USING fts5(
    body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
INSERT OR IGNORE INTO search_pending (kind, id) SELECT 'message', id FROM messages;
