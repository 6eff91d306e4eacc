-- A client's own recovery log (seed 000): sober days, setbacks with what happened and what was learnt, support meetings.
CREATE TABLE RecoveryEntries (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    ClientId TEXT NOT NULL REFERENCES Clients (Id),
    EntryDate TEXT NOT NULL,
    Kind TEXT NOT NULL CHECK (Kind IN ('sober_day', 'setback', 'meeting')),
    WhatHappened TEXT NULL,
    WhatILearnt TEXT NULL,
    Meeting TEXT NULL,
    RecordedBy TEXT NULL,
    CreatedAt TEXT NOT NULL
);
CREATE INDEX IX_RecoveryEntries_PracticeId_ClientId ON RecoveryEntries (PracticeId, ClientId, EntryDate, Id);
-- One sober day per day.
CREATE UNIQUE INDEX UX_RecoveryEntries_SoberDay ON RecoveryEntries (ClientId, EntryDate) WHERE Kind = 'sober_day';

-- Whether the client shares the log with their partner: their choice alone, off until they turn it on.
CREATE TABLE RecoveryLogSharing (
    ClientId TEXT NOT NULL PRIMARY KEY REFERENCES Clients (Id),
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    SharedWithPartner INTEGER NOT NULL,
    ChangedAt TEXT NOT NULL
);
