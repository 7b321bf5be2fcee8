-- Links between tickets of one tenant (issue #12): related work, a follow-up of a closed ticket
-- (made by the mail channel), and a duplicate merged into a surviving ticket. One row per pair
-- and kind, read from both ends; `ticket_id` is the ticket the kind is said of ("A relates to
-- B", "A follows up B", "A was merged into B"). The history of both tickets records each link
-- made or removed; this table is what holds now.
CREATE TABLE ticket_links (
    id INTEGER PRIMARY KEY,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id),
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    linked_id BIGINT NOT NULL REFERENCES tickets (id),
    kind TEXT NOT NULL CHECK (kind IN ('relates_to', 'follow_up', 'merged_into')),
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    CHECK (ticket_id <> linked_id),
    UNIQUE (tenant_id, ticket_id, linked_id, kind)
);
CREATE INDEX ticket_links_linked_idx ON ticket_links (tenant_id, linked_id);
-- A ticket is merged into at most one other.
CREATE UNIQUE INDEX ticket_links_merged_idx ON ticket_links (ticket_id) WHERE kind = 'merged_into';
