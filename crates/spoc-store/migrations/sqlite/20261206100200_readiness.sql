-- One row the readiness check writes, so /readyz proves the database takes writes (a full disk,
-- a lock held by another process or a read-only standby answer "not ready"), not only reads.
CREATE TABLE readiness (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at INTEGER NOT NULL
);
INSERT INTO readiness (id, checked_at) VALUES (1, 0);
