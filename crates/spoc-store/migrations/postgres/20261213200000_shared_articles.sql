-- Provider-wide knowledge: an article of the provider (tenant 1) marked `shared` is readable, in
-- its published version, in every tenant. Only the provider's leads and admins change the flag.
ALTER TABLE articles ADD COLUMN shared BOOLEAN NOT NULL DEFAULT FALSE;
