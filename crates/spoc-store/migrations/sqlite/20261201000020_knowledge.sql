-- Knowledge articles, SOPs, checklists on tickets, reviews and deflections (SQLite). Keep in step
-- with ../postgres/20261201000020_knowledge.sql (checked by the schema-equivalence test).

-- Knowledge articles. The row is the article's current state; every edit is a new row of
-- article_versions. `status` belongs to the latest version; readers see `published_version`.
-- Customers see an article only when it is not retired and both `audience` (latest) and
-- `published_audience` are 'customers'.
CREATE TABLE articles (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    audience TEXT NOT NULL,
    status TEXT NOT NULL,
    title TEXT NOT NULL,
    latest_version BIGINT NOT NULL,
    published_version BIGINT,
    published_audience TEXT,
    published_title TEXT,
    problem_id BIGINT,
    created_by BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    use_count BIGINT NOT NULL DEFAULT 0,
    helpful_count BIGINT NOT NULL DEFAULT 0,
    not_helpful_count BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX articles_status_idx ON articles (status, id);

CREATE TABLE article_versions (
    article_id BIGINT NOT NULL REFERENCES articles (id),
    version BIGINT NOT NULL,
    kind TEXT NOT NULL,
    audience TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    symptom TEXT,
    cause TEXT,
    workaround TEXT,
    problem_id BIGINT,
    change_summary TEXT NOT NULL,
    author_id BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (article_id, version)
);

-- Who moved an article through its workflow, and when.
CREATE TABLE article_log (
    id INTEGER PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles (id),
    version BIGINT NOT NULL,
    action TEXT NOT NULL,
    actor_id BIGINT REFERENCES users (id),
    at BIGINT NOT NULL,
    comment TEXT
);
CREATE INDEX article_log_article_idx ON article_log (article_id, id);

-- "Used to resolve": an article attached to a ticket, once per ticket.
CREATE TABLE article_uses (
    article_id BIGINT NOT NULL REFERENCES articles (id),
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    user_id BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    PRIMARY KEY (article_id, ticket_id)
);
CREATE INDEX article_uses_ticket_idx ON article_uses (ticket_id);

-- Helpful / not helpful: one vote per person per article (a later vote replaces it).
CREATE TABLE article_feedback (
    article_id BIGINT NOT NULL REFERENCES articles (id),
    user_id BIGINT NOT NULL REFERENCES users (id),
    helpful BOOLEAN NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (article_id, user_id)
);

-- Portal sessions ended by an article ("this solved my problem") instead of a ticket.
CREATE TABLE deflections (
    id INTEGER PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    article_id BIGINT NOT NULL REFERENCES articles (id),
    query TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX deflections_created_idx ON deflections (created_at);

-- SOPs: controlled procedures. The row holds document control (owner, reviewer, approver,
-- review policy, the effective version); content lives in sop_versions.
CREATE TABLE sops (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users (id),
    reviewer_id BIGINT REFERENCES users (id),
    approver_id BIGINT REFERENCES users (id),
    effective_version BIGINT,
    latest_version BIGINT NOT NULL,
    review_interval_months BIGINT NOT NULL,
    breach_threshold BIGINT,
    reopen_threshold BIGINT,
    window_days BIGINT NOT NULL,
    next_review_at BIGINT,
    scan_lease_owner TEXT,
    scan_lease_until BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE sop_versions (
    sop_id BIGINT NOT NULL REFERENCES sops (id),
    version BIGINT NOT NULL,
    state TEXT NOT NULL,
    content TEXT NOT NULL,
    change_summary TEXT NOT NULL,
    author_id BIGINT REFERENCES users (id),
    created_at BIGINT NOT NULL,
    effective_at BIGINT,
    superseded_at BIGINT,
    PRIMARY KEY (sop_id, version)
);

-- Who did each governance step, and when (append-only by use).
CREATE TABLE sop_log (
    id INTEGER PRIMARY KEY,
    sop_id BIGINT NOT NULL REFERENCES sops (id),
    version BIGINT NOT NULL,
    action TEXT NOT NULL,
    actor_id BIGINT REFERENCES users (id),
    at BIGINT NOT NULL,
    comment TEXT
);
CREATE INDEX sop_log_sop_idx ON sop_log (sop_id, id);

-- Which tickets an SOP applies to: a kind and/or category and/or subcategory.
CREATE TABLE sop_links (
    id INTEGER PRIMARY KEY,
    sop_id BIGINT NOT NULL REFERENCES sops (id),
    kind TEXT,
    category_id BIGINT REFERENCES categories (id),
    subcategory_id BIGINT REFERENCES categories (id)
);
CREATE INDEX sop_links_sop_idx ON sop_links (sop_id);

-- Reviews due (scheduled) or called for by operational signals. One row per crossing: the
-- unique key makes a second scanner's insert a no-op.
CREATE TABLE sop_reviews (
    id INTEGER PRIMARY KEY,
    sop_id BIGINT NOT NULL REFERENCES sops (id),
    cause TEXT NOT NULL,
    crossing_key TEXT NOT NULL,
    last_event_id BIGINT,
    status TEXT NOT NULL,
    due_at BIGINT,
    created_at BIGINT NOT NULL,
    overdue_notified_at BIGINT,
    closed_at BIGINT,
    closed_by BIGINT REFERENCES users (id),
    note TEXT,
    UNIQUE (sop_id, crossing_key)
);
CREATE INDEX sop_reviews_status_idx ON sop_reviews (status, sop_id);

CREATE TABLE sop_review_tickets (
    review_id BIGINT NOT NULL REFERENCES sop_reviews (id),
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    PRIMARY KEY (review_id, ticket_id)
);

-- The SOP version a ticket is handled under and its checklist (JSON). Kept out of `tickets`.
CREATE TABLE ticket_sop (
    ticket_id BIGINT PRIMARY KEY NOT NULL REFERENCES tickets (id),
    sop_id BIGINT NOT NULL REFERENCES sops (id),
    version BIGINT NOT NULL,
    checklist TEXT NOT NULL,
    bound_at BIGINT NOT NULL,
    bound_by BIGINT REFERENCES users (id)
);
CREATE INDEX ticket_sop_version_idx ON ticket_sop (sop_id, version);

-- Full-text search over articles. The rowid is the article id. Staff search the latest version
-- (title, body); customers search only the published version's columns.
CREATE VIRTUAL TABLE article_search USING fts5 (
    title,
    body,
    published_title,
    published_body,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
