-- Which part of the system acted, when no person did ('sla_timer', 'mail_intake', 'bootstrap',
-- …: spoc_domain::access::SystemActor). A ticket event has actor_id (a person) or actor_system
-- (the system); history written before principals were recorded has neither.
ALTER TABLE ticket_events ADD COLUMN actor_system TEXT;
