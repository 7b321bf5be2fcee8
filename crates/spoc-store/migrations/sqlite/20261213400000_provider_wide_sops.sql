-- Provider-wide SOPs: an SOP of the provider (tenant 1) marked `provider_wide` applies, in its
-- effective version, to the tickets of every tenant whose category has the same name as one of
-- its linked categories. Only the provider's leads and admins change the flag.
ALTER TABLE sops ADD COLUMN provider_wide BOOLEAN NOT NULL DEFAULT FALSE;
