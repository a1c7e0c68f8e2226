-- CubeDesk archive, schema 1.
--
-- Conventions:
--   * every *_at column holds Unix time in milliseconds, UTC (INTEGER): compact, unambiguous,
--     and ordered the same way as time, which every index below relies on;
--   * JSON columns are TEXT checked with json_valid();
--   * secrets (API key, webhook signing secret) are never stored here: they live in the OS
--     keychain, keyed by the account id.

-- A CubeConnect account (one API key) and the tenant it talks to.
CREATE TABLE accounts (
    id               INTEGER PRIMARY KEY,
    name             TEXT    NOT NULL,
    base_url         TEXT    NOT NULL DEFAULT 'https://cubeconnect.io',
    tenant_id        TEXT,
    is_demo          INTEGER NOT NULL DEFAULT 0 CHECK (is_demo IN (0, 1)),
    -- Receiving unsigned webhooks is possible only through this explicit, visible choice.
    webhook_unsigned INTEGER NOT NULL DEFAULT 0 CHECK (webhook_unsigned IN (0, 1)),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

-- A WhatsApp number of an account. Requests name it by its string "API ID"; webhooks by an
-- integer id, linked the first time an event names a number we have (contract decision 2).
CREATE TABLE whatsapp_numbers (
    id                 INTEGER PRIMARY KEY,
    account_id         INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    api_id             TEXT    NOT NULL CHECK (length(api_id) > 0),
    webhook_account_id INTEGER,
    display_name       TEXT    NOT NULL,
    phone              TEXT,
    created_at         INTEGER NOT NULL,
    UNIQUE (account_id, api_id),
    UNIQUE (account_id, webhook_account_id)
);

-- A customer of an account (the CubeConnect CRM model).
CREATE TABLE customers (
    id                    INTEGER PRIMARY KEY,
    account_id            INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    remote_id             INTEGER,
    -- Canonical form: digits with country code, no '+' (contract decision 3).
    phone                 TEXT    NOT NULL
                          CHECK (length(phone) BETWEEN 8 AND 15 AND phone NOT GLOB '*[^0-9]*'),
    name                  TEXT,
    email                 TEXT,
    metadata              TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
    status                TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
    total_conversations   INTEGER NOT NULL DEFAULT 0,
    first_conversation_at INTEGER,
    last_conversation_at  INTEGER,
    opted_out             INTEGER CHECK (opted_out IN (0, 1)),        -- NULL: never checked
    opt_out_scope         TEXT    CHECK (opt_out_scope IN ('marketing', 'all')),
    opt_out_source        TEXT,
    opted_out_at          INTEGER,
    opt_out_checked_at    INTEGER,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    UNIQUE (account_id, phone)
);

-- A customer's tags, one row each, so the inbox can filter by tag with an index.
CREATE TABLE customer_tags (
    customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    tag         TEXT    NOT NULL CHECK (length(tag) > 0),
    PRIMARY KEY (customer_id, tag)
) WITHOUT ROWID;
CREATE INDEX customer_tags_by_tag ON customer_tags (tag, customer_id);

-- One chat thread per customer and WhatsApp number. last_message_at / last_inbound_at are kept
-- current in the same transaction as each message, so the inbox never aggregates over messages.
CREATE TABLE conversations (
    id                INTEGER PRIMARY KEY,
    number_id         INTEGER NOT NULL REFERENCES whatsapp_numbers (id) ON DELETE CASCADE,
    customer_id       INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    last_message_id   INTEGER,
    last_message_at   INTEGER,
    last_inbound_at   INTEGER,
    unread_count      INTEGER NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
    -- What CubeConnect's session-status endpoint last said (contract decision 9).
    server_window_expires_at      INTEGER,
    server_window_last_inbound_at INTEGER,
    server_window_checked_at      INTEGER,
    created_at        INTEGER NOT NULL,
    UNIQUE (number_id, customer_id)
);
CREATE INDEX conversations_by_activity ON conversations (last_message_at DESC, id DESC);
CREATE INDEX conversations_by_customer ON conversations (customer_id);

-- CubeConnect "conversation sessions": chatbot-flow sessions (contract decision 14). Fields an
-- event did not carry stay NULL, which the UI shows as unknown rather than zero.
CREATE TABLE flow_sessions (
    id                   INTEGER PRIMARY KEY,
    account_id           INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    remote_id            INTEGER,
    conversation_flow_id INTEGER,
    whatsapp_account_id  INTEGER,             -- the integer id webhooks carry
    number_id            INTEGER REFERENCES whatsapp_numbers (id) ON DELETE SET NULL,
    customer_phone       TEXT    NOT NULL,
    customer_id          INTEGER REFERENCES customers (id) ON DELETE SET NULL,
    current_step_id      INTEGER,
    session_data         TEXT    CHECK (session_data IS NULL OR json_valid(session_data)),
    started_at           INTEGER,
    last_interaction_at  INTEGER,
    expires_at           INTEGER,
    is_completed         INTEGER CHECK (is_completed IN (0, 1)),
    ended_as             TEXT    CHECK (ended_as IN ('completed', 'cancelled')),
    created_at           INTEGER NOT NULL,
    updated_at           INTEGER NOT NULL
);
CREATE INDEX flow_sessions_by_customer ON flow_sessions (customer_id, started_at);
CREATE INDEX flow_sessions_by_phone ON flow_sessions (account_id, customer_phone);

-- Answers a customer gave in flows (the CustomerResponse model).
CREATE TABLE customer_responses (
    id                INTEGER PRIMARY KEY,
    customer_id       INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    flow_session_id   INTEGER REFERENCES flow_sessions (id) ON DELETE SET NULL,
    question_key      TEXT    NOT NULL,
    question_text     TEXT,
    response_value    TEXT,
    response_type     TEXT    CHECK (response_type IN ('text', 'button', 'list', 'approval', 'reply')),
    response_metadata TEXT    NOT NULL DEFAULT '{}' CHECK (json_valid(response_metadata)),
    created_at        INTEGER NOT NULL
);
CREATE INDEX customer_responses_by_customer ON customer_responses (customer_id, created_at);

-- Every message, in and out, of every type of the seed's table.
CREATE TABLE messages (
    id                INTEGER PRIMARY KEY,
    -- A UUID made on this computer when the message was composed or received; for outbound
    -- messages it is also the Idempotency-Key of every send attempt (contract decision 6).
    local_id          TEXT    NOT NULL UNIQUE,
    conversation_id   INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    direction         TEXT    NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    type              TEXT    NOT NULL CHECK (type IN ('text', 'image', 'video', 'audio', 'document',
                                                       'template', 'interactive', 'location',
                                                       'sticker', 'reaction')),
    -- When the message was written (inbound: the customer's time; outbound: composed).
    created_at        INTEGER NOT NULL,

    text              TEXT,
    -- Media: a link we sent, or the placeholder CubeConnect gives for inbound media (decision 13).
    media_caption     TEXT,
    media_filename    TEXT,
    media_mime        TEXT,
    media_link        TEXT,
    media_placeholder TEXT,
    -- Templates.
    template_name        TEXT,
    template_language    TEXT,
    template_params      TEXT CHECK (template_params IS NULL OR json_valid(template_params)),
    template_header_link TEXT,
    rendered_body        TEXT,
    -- Interactive buttons and lists, as the WhatsApp Cloud API shapes them.
    interactive       TEXT    CHECK (interactive IS NULL OR json_valid(interactive)),
    -- Location.
    location_lat      REAL    CHECK (location_lat IS NULL OR location_lat BETWEEN -90 AND 90),
    location_lng      REAL    CHECK (location_lng IS NULL OR location_lng BETWEEN -180 AND 180),
    location_name     TEXT,
    location_address  TEXT,
    -- Reactions point at the message they react to: by our id when we hold it, else by wamid.
    reaction_emoji    TEXT,
    reaction_to_id    INTEGER REFERENCES messages (id) ON DELETE SET NULL,
    reaction_to_wamid TEXT,

    -- Outbound delivery (contract decisions 7 and 8). Inbound messages have no status.
    status            TEXT    CHECK (status IN ('pending', 'unconfirmed', 'queued', 'scheduled',
                                                'sent', 'delivered', 'read', 'failed')),
    pending_at        INTEGER,
    unconfirmed_at    INTEGER,
    queued_at         INTEGER,
    scheduled_at      INTEGER,
    sent_at           INTEGER,
    delivered_at      INTEGER,
    read_at           INTEGER,
    failed_at         INTEGER,
    failure_code      TEXT,      -- a Meta code (131047) or a CubeConnect code (RECIPIENT_OPTED_OUT)
    failure_reason    TEXT,
    category          TEXT    CHECK (category IN ('SERVICE', 'MARKETING', 'UTILITY', 'AUTHENTICATION')),
    cost              REAL,
    cost_currency     TEXT,
    message_log_id    TEXT,      -- CubeConnect's id, opaque (number or string on the wire)
    wamid             TEXT,      -- WhatsApp's id: meta_message_id outbound, wa_message_id inbound

    CHECK ((direction = 'inbound') = (status IS NULL))
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, created_at, id);
CREATE INDEX messages_by_log_id ON messages (message_log_id) WHERE message_log_id IS NOT NULL;
CREATE INDEX messages_by_wamid ON messages (wamid) WHERE wamid IS NOT NULL;
CREATE INDEX messages_undelivered ON messages (status)
    WHERE status IN ('pending', 'unconfirmed', 'queued', 'scheduled', 'sent', 'delivered');

-- The outbox: outbound messages waiting for (another) send attempt. A row leaves only when
-- CubeConnect accepted or permanently refused the message.
CREATE TABLE outbox (
    message_id      INTEGER PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    -- 'in_flight' is written before a request leaves; finding it after a crash means the
    -- outcome is unknown and the message becomes 'unconfirmed', never silently re-sent.
    state           TEXT    NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'in_flight')),
    last_error_code TEXT,
    last_error      TEXT,
    updated_at      INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at);

-- Message templates of a number, as GET /api/v1/templates lists them.
CREATE TABLE templates (
    id                      INTEGER PRIMARY KEY,
    number_id               INTEGER NOT NULL REFERENCES whatsapp_numbers (id) ON DELETE CASCADE,
    remote_id               INTEGER,
    name                    TEXT    NOT NULL,
    language                TEXT    NOT NULL,
    category                TEXT    CHECK (category IN ('MARKETING', 'UTILITY', 'AUTHENTICATION')),
    status                  TEXT    NOT NULL,   -- as the service spells it; compared case-insensitively
    params_count            INTEGER NOT NULL DEFAULT 0 CHECK (params_count >= 0),
    body                    TEXT    NOT NULL,
    header_type             TEXT    NOT NULL DEFAULT 'none'
                            CHECK (header_type IN ('none', 'text', 'image', 'video', 'document')),
    header_text             TEXT,
    header_sample_media_url TEXT,
    footer                  TEXT,
    fetched_at              INTEGER NOT NULL,
    UNIQUE (number_id, name, language)
);

-- Every verified webhook delivery, stored raw before we answer 200 (contract decision 12).
CREATE TABLE webhook_events (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    received_at INTEGER NOT NULL,
    event       TEXT    NOT NULL,
    -- (event, message id, status), or the body's SHA-256 for events without ids.
    dedupe_key  TEXT    NOT NULL UNIQUE,
    body        TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'applied', 'unapplicable')),
    applied_at  INTEGER,
    error       TEXT
);
CREATE INDEX webhook_events_unapplied ON webhook_events (id) WHERE state = 'received';

-- Deliveries the receiver refused. No content is kept: only when, why and from where.
CREATE TABLE webhook_rejections (
    id          INTEGER PRIMARY KEY,
    received_at INTEGER NOT NULL,
    http_status INTEGER NOT NULL,
    reason      TEXT    NOT NULL,
    remote_addr TEXT
);

-- Small per-account facts the sync engine keeps between runs (clock offset, rate-limit budget,
-- last health answer, when templates were fetched, ...).
CREATE TABLE sync_state (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    key        TEXT    NOT NULL,
    value      TEXT    NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, key)
) WITHOUT ROWID;
