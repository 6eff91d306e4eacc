-- What a client has agreed to, and when they took it back: treatment, sharing with a named EHR integration or a named
-- person of their support network, using the portal. Each row is one consent as given, with the version of the text
-- agreed to, how it was given (through the portal, or a paper or spoken consent recorded by staff) and by whom; a
-- withdrawal is written on the same row. A new consent after a withdrawal is a new row.
CREATE TABLE Consents (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    ClientId TEXT NOT NULL REFERENCES Clients (Id),
    Kind TEXT NOT NULL CHECK (Kind IN ('treatment', 'ehr_sharing', 'person_sharing', 'portal_use')),
    RecipientId TEXT NULL,
    RecipientName TEXT NULL,
    TextVersion TEXT NOT NULL,
    GivenAt TEXT NOT NULL,
    GivenBy TEXT NULL,
    GivenVia TEXT NOT NULL CHECK (GivenVia IN ('portal', 'paper', 'verbal')),
    WithdrawnAt TEXT NULL,
    WithdrawnBy TEXT NULL,
    WithdrawnVia TEXT NULL CHECK (WithdrawnVia IS NULL OR WithdrawnVia IN ('portal', 'paper', 'verbal')),
    CHECK ((Kind IN ('ehr_sharing', 'person_sharing')) = (RecipientId IS NOT NULL))
);
CREATE INDEX IX_Consents_PracticeId_ClientId ON Consents (PracticeId, ClientId, Id);
-- The caseload rule's probe for a consent-bound integration: does this client share with it?
CREATE INDEX IX_Consents_PracticeId_RecipientId ON Consents (PracticeId, RecipientId, ClientId, Kind, WithdrawnAt);

-- An integration token bound to consent sees only the clients who gave it an ehr_sharing consent (its own id, or the
-- SMART client's id for the access tokens issued to a bound SMART client).
ALTER TABLE ApiTokens ADD COLUMN ConsentRecipientId TEXT NULL;
ALTER TABLE SmartClients ADD COLUMN RequiresConsent INTEGER NOT NULL DEFAULT 0;
