-- SMART Backend Services: registered integration clients (their public keys and the scopes they may ask for), and the
-- assertion ids (jti) already used, so that a replayed assertion is refused.
CREATE TABLE SmartClients (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    Name TEXT NOT NULL,
    Jwks TEXT NOT NULL,
    Scopes TEXT NOT NULL,
    CreatedBy TEXT NULL,
    CreatedAt TEXT NOT NULL,
    RevokedAt TEXT NULL
);
CREATE INDEX IX_SmartClients_PracticeId ON SmartClients (PracticeId, Id);

CREATE TABLE SmartAssertions (
    PracticeId TEXT NOT NULL,
    ClientId TEXT NOT NULL REFERENCES SmartClients (Id),
    Jti TEXT NOT NULL,
    ExpiresAt TEXT NOT NULL,
    PRIMARY KEY (PracticeId, ClientId, Jti)
);
CREATE INDEX IX_SmartAssertions_ExpiresAt ON SmartAssertions (ExpiresAt);
