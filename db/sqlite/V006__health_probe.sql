-- /health/ready writes here: readiness means the database can take a write, not just answer a read.
CREATE TABLE HealthProbes (
    Id INTEGER NOT NULL PRIMARY KEY,
    CheckedAt TEXT NOT NULL
);
INSERT INTO HealthProbes (Id, CheckedAt) VALUES (1, '2026-01-01T00:00:00.0000000Z');
