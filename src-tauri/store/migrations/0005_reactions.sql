-- Reactions are read beside the page of messages they react to: by our id, or by WhatsApp's id
-- when they arrived first. Without these, every page would scan the whole messages table.
CREATE INDEX messages_reactions_by_id ON messages (reaction_to_id) WHERE type = 'reaction';
CREATE INDEX messages_reactions_by_wamid ON messages (reaction_to_wamid) WHERE type = 'reaction';
