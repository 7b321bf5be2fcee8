-- Tenants managed by the provider: each has a slug for its portal's address (/t/{slug}), an
-- optional host name of its own, a brand (display name is the tenant's name; a logo image and
-- two colours as #rrggbb), and an active flag. The tenants table stays global. Tenant 1 (the
-- provider, or the only company of a single-company desk) gets the slug 'default'; tenants made
-- before this migration get 'tenant-{id}'.
ALTER TABLE tenants ADD COLUMN slug TEXT;
ALTER TABLE tenants ADD COLUMN host TEXT;
ALTER TABLE tenants ADD COLUMN primary_colour TEXT;
ALTER TABLE tenants ADD COLUMN accent_colour TEXT;
ALTER TABLE tenants ADD COLUMN logo BYTEA;
ALTER TABLE tenants ADD COLUMN logo_type TEXT;
ALTER TABLE tenants ADD COLUMN logo_version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tenants ADD COLUMN active BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE tenants SET slug = 'default' WHERE id = 1;
UPDATE tenants SET slug = 'tenant-' || CAST(id AS TEXT) WHERE slug IS NULL;
CREATE UNIQUE INDEX tenants_slug_idx ON tenants (slug);
CREATE UNIQUE INDEX tenants_host_idx ON tenants (host);
