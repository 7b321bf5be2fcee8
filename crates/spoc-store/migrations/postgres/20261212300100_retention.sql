-- Retention of closed tickets (per tenant, off by default): anonymised tickets are marked, and a
-- ticket's history may be rewritten (anonymised) or removed (deleted) only inside the
-- transaction that lists the ticket in ticket_redactions first and empties it again before it
-- commits. Everywhere else the history stays append-only.
ALTER TABLE tickets ADD COLUMN anonymised_at BIGINT;

CREATE TABLE ticket_redactions (
    ticket_id BIGINT PRIMARY KEY NOT NULL,
    tenant_id BIGINT NOT NULL REFERENCES tenants (id)
);

CREATE OR REPLACE FUNCTION ticket_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM ticket_redactions r WHERE r.ticket_id = OLD.ticket_id) THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'ticket_events is append-only';
END;
$$;
