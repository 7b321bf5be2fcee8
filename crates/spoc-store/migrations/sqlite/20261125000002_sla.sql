-- Service levels: business calendars, SLA policies (ordered, one default) and each ticket's
-- clocks. A ticket's clocks are stored as one JSON document written in the same transaction as
-- the ticket change that moved them; `next_due_at` is the earliest warning or breach still to
-- fire, which the timer worker scans and claims with a lease.

CREATE TABLE calendars (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    spec TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE sla_policies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    position BIGINT NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    calendar_id BIGINT NOT NULL REFERENCES calendars (id),
    terms TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE ticket_sla (
    ticket_id BIGINT PRIMARY KEY REFERENCES tickets (id),
    policy_id BIGINT NOT NULL REFERENCES sla_policies (id),
    clocks TEXT NOT NULL,
    next_due_at BIGINT,
    resolution_due_at BIGINT,
    lease_owner TEXT,
    lease_until BIGINT
);

CREATE INDEX ticket_sla_next_due ON ticket_sla (next_due_at) WHERE next_due_at IS NOT NULL;
