-- The e-mail channel. Keep in step with ../postgres/20261201000001_mail.sql (same tables, columns,
-- nullability and indexes; checked by the schema-equivalence test).
--
-- Inbound: mailboxes an admin configures (IMAP, or an MTA pipe through `spoc mail deliver`);
-- every message received is kept raw with what became of it and why (a ticket, a reply, held,
-- quarantined, ignored, refused), written in the same transaction as the ticket change it
-- caused. The Message-ID is unique, so one message never makes two tickets. Attachments are
-- stored in the database under server-generated ids. Threading looks Message-IDs up in
-- `mail_threads` (the ones Spoc sent and the ones it received, per ticket).
--
-- Outbound: notifications are outbox rows (one e-mail to one person each), written in the same
-- transaction as the change that caused them and delivered by a leased worker with retries and
-- backoff; after the last attempt a message becomes a dead letter that admins can see and retry.

CREATE TABLE mailboxes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    address TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    imap_host TEXT,
    imap_port BIGINT,
    imap_security TEXT CHECK (imap_security IN ('tls', 'starttls')),
    imap_username TEXT,
    imap_password TEXT,
    ca_certificate TEXT,
    folder TEXT NOT NULL,
    processed_folder TEXT,
    unknown_senders TEXT NOT NULL CHECK (unknown_senders IN ('create', 'refuse')),
    non_participants TEXT NOT NULL CHECK (non_participants IN ('new_ticket', 'hold')),
    ticket_kind TEXT NOT NULL,
    poll_seconds BIGINT NOT NULL,
    lease_owner TEXT,
    lease_until BIGINT,
    last_polled_at BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- Unknown senders from these domains become customers of the organisation.
CREATE TABLE organization_domains (
    domain TEXT PRIMARY KEY,
    organization_id BIGINT NOT NULL REFERENCES organizations (id)
);
CREATE INDEX organization_domains_org_idx ON organization_domains (organization_id);

CREATE TABLE inbound_messages (
    id INTEGER PRIMARY KEY,
    mailbox_id BIGINT REFERENCES mailboxes (id),
    message_id TEXT NOT NULL UNIQUE,
    raw BLOB NOT NULL,
    raw_sha256 TEXT NOT NULL,
    from_address TEXT,
    subject TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('ticket_created', 'reply_added', 'held', 'quarantined', 'ignored', 'refused')),
    reason TEXT NOT NULL,
    auto_reply TEXT NOT NULL,
    ticket_id BIGINT REFERENCES tickets (id),
    event_id BIGINT REFERENCES ticket_events (id),
    html TEXT,
    warnings TEXT NOT NULL,
    settled_at BIGINT,
    settled_by BIGINT REFERENCES users (id)
);
CREATE INDEX inbound_messages_outcome_idx ON inbound_messages (outcome, id);
CREATE INDEX inbound_messages_sender_idx ON inbound_messages (from_address, received_at);
CREATE INDEX inbound_messages_ticket_idx ON inbound_messages (ticket_id);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    event_id BIGINT REFERENCES ticket_events (id),
    inbound_message_id BIGINT REFERENCES inbound_messages (id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    inline BOOLEAN NOT NULL,
    content_id TEXT,
    public BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_ticket_idx ON attachments (ticket_id, id);
CREATE INDEX attachments_message_idx ON attachments (inbound_message_id);

CREATE TABLE mail_threads (
    message_id TEXT PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    outbound BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX mail_threads_ticket_idx ON mail_threads (ticket_id);

-- Opt-outs: a person gets every notification their role receives unless a row says otherwise.
CREATE TABLE mail_preferences (
    user_id BIGINT NOT NULL REFERENCES users (id),
    topic TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    PRIMARY KEY (user_id, topic)
);

ALTER TABLE outbox ADD COLUMN recipient TEXT;
ALTER TABLE outbox ADD COLUMN ticket_id BIGINT REFERENCES tickets (id);
ALTER TABLE outbox ADD COLUMN last_error TEXT;
ALTER TABLE outbox ADD COLUMN dead_at BIGINT;
CREATE INDEX outbox_dead_idx ON outbox (dead_at);
CREATE INDEX outbox_ticket_idx ON outbox (ticket_id);

-- One-time links in mail that let a requester without a password confirm or reopen a resolved
-- ticket: random, stored hashed, bound to the ticket, the person and the action, expiring.
CREATE TABLE mail_action_tokens (
    token_hash TEXT PRIMARY KEY,
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    action TEXT NOT NULL CHECK (action IN ('confirm', 'reopen')),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX mail_action_tokens_ticket_idx ON mail_action_tokens (ticket_id);
