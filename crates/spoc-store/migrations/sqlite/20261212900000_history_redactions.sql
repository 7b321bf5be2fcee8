-- One rule for rewriting history, for retention and erasure alike: an entry's text (`data`) may
-- be replaced, and an entry removed, only inside a transaction that lists its ticket in
-- ticket_redactions (and empties the list again before it commits); even then an entry's
-- ticket, time, kind, visibility and actor never change. Everywhere else ticket_events stays
-- append-only. (Retention's and erasure's migrations each loosened the trigger their own way.)
DROP TRIGGER ticket_events_no_update;
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
WHEN NOT EXISTS (SELECT 1 FROM ticket_redactions r WHERE r.ticket_id = OLD.ticket_id)
    OR NEW.id IS NOT OLD.id OR NEW.ticket_id IS NOT OLD.ticket_id OR NEW.at IS NOT OLD.at
    OR NEW.actor_id IS NOT OLD.actor_id OR NEW.actor_system IS NOT OLD.actor_system
    OR NEW.kind IS NOT OLD.kind OR NEW.public IS NOT OLD.public
BEGIN
    SELECT RAISE(ABORT, 'ticket_events is append-only');
END;
