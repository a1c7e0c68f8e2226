-- The offline archive: full-text search and imported history.

-- Messages imported from a WhatsApp "Export chat" file or a CubeDesk export, never sent or
-- received by CubeDesk itself.
ALTER TABLE messages ADD COLUMN imported INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1));

-- Search indexes. Contentless (the text already lives in messages and customers) and fed by the
-- core, which normalises Arabic (tashkeel, alef forms, the article) before indexing; SQL cannot do
-- that, so triggers only note what changed and the core indexes it before each search.
-- rowid = messages.id / customers.id.
CREATE VIRTUAL TABLE message_search USING fts5(
    body, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE customer_search USING fts5(
    name, tags, content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);

-- What the search indexes have not caught up with yet. The triggers check before inserting rather
-- than use INSERT OR IGNORE: an outer statement's conflict clause (an upsert) overrides a
-- trigger's, which would turn a second change to the same row into an error.
CREATE TABLE search_pending (
    kind TEXT    NOT NULL CHECK (kind IN ('message', 'customer')),
    id   INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
) WITHOUT ROWID;

CREATE TRIGGER message_search_new AFTER INSERT ON messages BEGIN
    INSERT INTO search_pending (kind, id) SELECT 'message', new.id
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE kind = 'message' AND id = new.id);
END;
CREATE TRIGGER message_search_edit AFTER UPDATE OF text, media_caption, media_filename, rendered_body,
        interactive, location_name, location_address ON messages BEGIN
    INSERT INTO search_pending (kind, id) SELECT 'message', new.id
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE kind = 'message' AND id = new.id);
END;
CREATE TRIGGER message_search_gone AFTER DELETE ON messages BEGIN
    INSERT INTO search_pending (kind, id) SELECT 'message', old.id
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE kind = 'message' AND id = old.id);
END;
CREATE TRIGGER customer_search_new AFTER INSERT ON customers BEGIN
    INSERT INTO search_pending (kind, id) SELECT 'customer', new.id
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE kind = 'customer' AND id = new.id);
END;
CREATE TRIGGER customer_search_edit AFTER UPDATE OF name ON customers BEGIN
    INSERT INTO search_pending (kind, id) SELECT 'customer', new.id
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE kind = 'customer' AND id = new.id);
END;
CREATE TRIGGER customer_search_gone AFTER DELETE ON customers BEGIN
    INSERT INTO search_pending (kind, id) SELECT 'customer', old.id
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE kind = 'customer' AND id = old.id);
END;
CREATE TRIGGER customer_search_tag_new AFTER INSERT ON customer_tags BEGIN
    INSERT INTO search_pending (kind, id) SELECT 'customer', new.customer_id
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE kind = 'customer' AND id = new.customer_id);
END;
CREATE TRIGGER customer_search_tag_gone AFTER DELETE ON customer_tags BEGIN
    INSERT INTO search_pending (kind, id) SELECT 'customer', old.customer_id
        WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE kind = 'customer' AND id = old.customer_id);
END;

-- Everything already in the archive is indexed on the first search after this upgrade.
INSERT INTO search_pending (kind, id) SELECT 'message', id FROM messages;
INSERT INTO search_pending (kind, id) SELECT 'customer', id FROM customers;

-- Searches filter by date across all conversations.
CREATE INDEX messages_by_time ON messages (created_at, id);
