-- The ticket search index knows each ticket's tenant, so that one tenant's search matches only
-- its own tickets inside the index (`tenant : 42 AND …`) instead of every tenant's tickets
-- before the tenant filter. FTS5 tables cannot gain a column: the index is rebuilt with the
-- same columns, in the same order, plus `tenant` (the tenant's id as text; never searched
-- by the words people type, whose queries name their columns).
CREATE VIRTUAL TABLE ticket_search_new USING fts5 (
    title,
    description,
    public_comments,
    internal_notes,
    tenant,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
INSERT INTO ticket_search_new (rowid, title, description, public_comments, internal_notes, tenant)
SELECT s.rowid, s.title, s.description, s.public_comments, s.internal_notes, CAST(t.tenant_id AS TEXT)
FROM ticket_search s JOIN tickets t ON t.id = s.rowid;
DROP TABLE ticket_search;
ALTER TABLE ticket_search_new RENAME TO ticket_search;
