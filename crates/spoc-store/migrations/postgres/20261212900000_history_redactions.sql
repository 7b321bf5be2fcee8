-- One rule for rewriting history, for retention and erasure alike: an entry's text (`data`) may
-- be replaced, and an entry removed, only inside a transaction that lists its ticket in
-- ticket_redactions (and empties the list again before it commits); even then an entry's
-- ticket, time, kind, visibility and actor never change. Everywhere else ticket_events stays
-- append-only. (Retention's and erasure's migrations each loosened the trigger their own way.)
CREATE OR REPLACE FUNCTION ticket_events_text_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM ticket_redactions r WHERE r.ticket_id = OLD.ticket_id)
        OR NEW.id IS DISTINCT FROM OLD.id OR NEW.ticket_id IS DISTINCT FROM OLD.ticket_id
        OR NEW.at IS DISTINCT FROM OLD.at OR NEW.actor_id IS DISTINCT FROM OLD.actor_id
        OR NEW.actor_system IS DISTINCT FROM OLD.actor_system OR NEW.kind IS DISTINCT FROM OLD.kind
        OR NEW.public IS DISTINCT FROM OLD.public THEN
        RAISE EXCEPTION 'ticket_events is append-only';
    END IF;
    RETURN NEW;
END;
$$;
