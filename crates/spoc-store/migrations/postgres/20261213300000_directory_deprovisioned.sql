-- A person a full directory sync deprovisioned (they were no longer in the directory): when,
-- so the sync reactivates them if they come back (and only them, not people an admin
-- deactivated).
ALTER TABLE ldap_directory_people ADD COLUMN deprovisioned_at BIGINT;
