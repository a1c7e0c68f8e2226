-- An account removed from CubeDesk while its conversations were kept: its keychain entries are
-- gone and nothing syncs, but the archive stays readable and searchable.
ALTER TABLE accounts ADD COLUMN disconnected_at INTEGER;
