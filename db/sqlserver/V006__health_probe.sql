-- /health/ready writes here: readiness means the database can take a write, not just answer a read.
CREATE TABLE dbo.HealthProbes (
    Id INT NOT NULL CONSTRAINT PK_HealthProbes PRIMARY KEY,
    CheckedAt DATETIME2(7) NOT NULL
);
GO
INSERT INTO dbo.HealthProbes (Id, CheckedAt) VALUES (1, '2026-01-01T00:00:00');
GO
