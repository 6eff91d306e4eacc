-- What a client has agreed to, and when they took it back: treatment, sharing with a named EHR integration or a named
-- person of their support network, using the portal. Each row is one consent as given, with the version of the text
-- agreed to, how it was given (through the portal, or a paper or spoken consent recorded by staff) and by whom; a
-- withdrawal is written on the same row. A new consent after a withdrawal is a new row.
CREATE TABLE dbo.Consents (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_Consents PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_Consents_Practices REFERENCES dbo.Practices (Id),
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_Consents_Clients REFERENCES dbo.Clients (Id),
    Kind NVARCHAR(20) NOT NULL CONSTRAINT CK_Consents_Kind CHECK (Kind IN (N'treatment', N'ehr_sharing', N'person_sharing', N'portal_use')),
    RecipientId UNIQUEIDENTIFIER NULL,
    RecipientName NVARCHAR(200) NULL,
    TextVersion NVARCHAR(50) NOT NULL,
    GivenAt DATETIME2(7) NOT NULL,
    GivenBy UNIQUEIDENTIFIER NULL,
    GivenVia NVARCHAR(10) NOT NULL CONSTRAINT CK_Consents_GivenVia CHECK (GivenVia IN (N'portal', N'paper', N'verbal')),
    WithdrawnAt DATETIME2(7) NULL,
    WithdrawnBy UNIQUEIDENTIFIER NULL,
    WithdrawnVia NVARCHAR(10) NULL CONSTRAINT CK_Consents_WithdrawnVia CHECK (WithdrawnVia IS NULL OR WithdrawnVia IN (N'portal', N'paper', N'verbal')),
    CONSTRAINT CK_Consents_Recipient CHECK ((Kind IN (N'ehr_sharing', N'person_sharing') AND RecipientId IS NOT NULL)
        OR (Kind NOT IN (N'ehr_sharing', N'person_sharing') AND RecipientId IS NULL))
);
GO
CREATE CLUSTERED INDEX IX_Consents_PracticeId_ClientId ON dbo.Consents (PracticeId, ClientId, Id);
GO
-- The caseload rule's probe for a consent-bound integration: does this client share with it?
CREATE INDEX IX_Consents_PracticeId_RecipientId ON dbo.Consents (PracticeId, RecipientId, ClientId, Kind, WithdrawnAt);
GO

-- An integration token bound to consent sees only the clients who gave it an ehr_sharing consent (its own id, or the
-- SMART client's id for the access tokens issued to a bound SMART client).
ALTER TABLE dbo.ApiTokens ADD ConsentRecipientId UNIQUEIDENTIFIER NULL;
GO
ALTER TABLE dbo.SmartClients ADD RequiresConsent BIT NOT NULL CONSTRAINT DF_SmartClients_RequiresConsent DEFAULT 0;
GO
