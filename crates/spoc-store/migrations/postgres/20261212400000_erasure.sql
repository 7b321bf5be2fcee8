-- Erasure of a person (issue 13, people's data): the history stays append-only, except that the
-- text inside an entry (`data`) may be replaced when a person is erased, so what they wrote and
-- their name and address leave the database while the entry keeps its ticket, time, kind,
-- visibility and actor (statistics and the history's structure are unchanged). Deleting an
-- entry, or changing anything but its text, is still refused.
CREATE FUNCTION ticket_events_text_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.ticket_id IS DISTINCT FROM OLD.ticket_id
        OR NEW.at IS DISTINCT FROM OLD.at OR NEW.actor_id IS DISTINCT FROM OLD.actor_id
        OR NEW.actor_system IS DISTINCT FROM OLD.actor_system OR NEW.kind IS DISTINCT FROM OLD.kind
        OR NEW.public IS DISTINCT FROM OLD.public THEN
        RAISE EXCEPTION 'ticket_events is append-only (only an erasure may replace an entry''s text)';
    END IF;
    RETURN NEW;
END;
$$;
DROP TRIGGER ticket_events_no_update ON ticket_events;
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
    FOR EACH ROW EXECUTE FUNCTION ticket_events_text_only();
