-- Erasure of a person (issue 13, people's data): the history stays append-only, except that the
-- text inside an entry (`data`) may be replaced when a person is erased, so what they wrote and
-- their name and address leave the database while the entry keeps its ticket, time, kind,
-- visibility and actor (statistics and the history's structure are unchanged). Deleting an
-- entry, or changing anything but its text, is still refused.
DROP TRIGGER ticket_events_no_update;
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
WHEN NEW.id IS NOT OLD.id OR NEW.ticket_id IS NOT OLD.ticket_id OR NEW.at IS NOT OLD.at
    OR NEW.actor_id IS NOT OLD.actor_id OR NEW.actor_system IS NOT OLD.actor_system
    OR NEW.kind IS NOT OLD.kind OR NEW.public IS NOT OLD.public
BEGIN
    SELECT RAISE(ABORT, 'ticket_events is append-only (only an erasure may replace an entry''s text)');
END;
