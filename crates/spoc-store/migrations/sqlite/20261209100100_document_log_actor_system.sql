-- Which part of the system wrote a controlled document's workflow log entry, when no person did
-- ('sop_review', 'bootstrap', …: spoc_domain::access::SystemActor), as `ticket_events` records
-- it. An entry has actor_id (a person) or actor_system (the system); entries written before
-- principals were recorded, and imports by nobody named, have neither.
ALTER TABLE article_log ADD COLUMN actor_system TEXT;
ALTER TABLE sop_log ADD COLUMN actor_system TEXT;
