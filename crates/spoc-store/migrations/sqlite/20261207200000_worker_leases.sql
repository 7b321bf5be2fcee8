-- Jobs that must run on one node at a time (statistics refresh, SOP review scan, ...) hold a
-- named lease: the node that holds it renews it while it runs; when the node stops it gives the
-- lease back, and when it dies the lease expires and another node takes the job over.
CREATE TABLE worker_leases (
    name TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
