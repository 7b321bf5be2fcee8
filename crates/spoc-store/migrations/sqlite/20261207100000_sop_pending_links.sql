-- Links of an SOP to categories that do not exist yet, by name: the SOPs that ship with Spoc name
-- their categories ("Access › Password"), and a fresh desk has none when it imports them. A
-- pending link becomes a real link (sop_links) as soon as categories of those names exist.
CREATE TABLE sop_pending_links (
    id INTEGER PRIMARY KEY,
    sop_id BIGINT NOT NULL REFERENCES sops (id),
    kind TEXT,
    category_name TEXT NOT NULL,
    subcategory_name TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX sop_pending_links_sop_idx ON sop_pending_links (sop_id);
