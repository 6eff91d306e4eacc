-- SMART Backend Services: registered integration clients (their public keys and the scopes they may ask for), and the
-- assertion ids (jti) already used, so that a replayed assertion is refused.
CREATE TABLE dbo.SmartClients (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_SmartClients PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SmartClients_Practices REFERENCES dbo.Practices (Id),
    Name NVARCHAR(200) NOT NULL,
    Jwks NVARCHAR(MAX) NOT NULL,
    Scopes NVARCHAR(1000) NOT NULL,
    CreatedBy UNIQUEIDENTIFIER NULL,
    CreatedAt DATETIME2(7) NOT NULL,
    RevokedAt DATETIME2(7) NULL
);
CREATE CLUSTERED INDEX IX_SmartClients_PracticeId ON dbo.SmartClients (PracticeId, Id);
GO

CREATE TABLE dbo.SmartAssertions (
    PracticeId UNIQUEIDENTIFIER NOT NULL,
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SmartAssertions_Clients REFERENCES dbo.SmartClients (Id),
    Jti NVARCHAR(200) NOT NULL,
    ExpiresAt DATETIME2(7) NOT NULL,
    CONSTRAINT PK_SmartAssertions PRIMARY KEY CLUSTERED (PracticeId, ClientId, Jti)
);
CREATE INDEX IX_SmartAssertions_ExpiresAt ON dbo.SmartAssertions (ExpiresAt);
GO
