-- The change feed: every committed change of a record, at a position that increases in commit
-- order without gaps, so a consumer (live updates on other nodes, webhooks, automation, read
-- models) that remembers the last position it handled misses and repeats nothing.
--
-- A writing transaction takes its positions from feed_head as its last step before COMMIT. On
-- PostgreSQL the row lock on feed_head is held until the commit, so a later position is never
-- visible before an earlier one; a transaction that rolls back hands its positions back with its
-- update of the head. On SQLite, writers are serialised by the database lock anyway.
CREATE TABLE feed_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    position BIGINT NOT NULL
);
INSERT INTO feed_head (id, position) VALUES (1, 0);

CREATE TABLE changes (
    position BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    -- What changed: 'ticket', 'sop', 'article', 'user', … and its id.
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    -- How: 'created', 'commented', 'updated', 'deleted', ….
    kind TEXT NOT NULL,
    -- Whether the requester of a ticket could see it (a public reply, not an internal note).
    public BOOLEAN NOT NULL,
    -- Who: a person, or the system (then actor_system names the part: 'sla-timers', 'mail', …).
    actor_id BIGINT,
    actor_system TEXT
);
CREATE INDEX changes_entity_idx ON changes (entity, entity_id, position);
