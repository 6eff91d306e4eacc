-- Erasure requests (AVG art. 17, WGBO art. 7:455): recorded, then executed or refused by an admin with a reason.
CREATE TABLE ErasureRequests (
    Id TEXT NOT NULL PRIMARY KEY,
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    ClientId TEXT NOT NULL REFERENCES Clients (Id),
    RequestedBy TEXT NOT NULL,
    RequestedAt TEXT NOT NULL,
    RecordedBy TEXT NOT NULL REFERENCES Therapists (Id),
    Status TEXT NOT NULL CHECK (Status IN ('requested', 'refused', 'executed')),
    RefusalReason TEXT NULL CHECK (RefusalReason IN ('significant_interest_of_another', 'legal_hold', 'other')),
    Explanation TEXT NULL,
    DecidedBy TEXT NULL REFERENCES Therapists (Id),
    DecidedAt TEXT NULL
);
CREATE INDEX IX_ErasureRequests_PracticeId_RequestedAt ON ErasureRequests (PracticeId, RequestedAt, Id);

-- An erased client keeps an id (now a pseudonym: nothing personal is attached to it) and the time of erasure.
ALTER TABLE Clients ADD COLUMN ErasedAt TEXT NULL;
-- Records due for destruction: discharged clients by the time of their last change.
CREATE INDEX IX_Clients_PracticeId_Status_UpdatedAt ON Clients (PracticeId, Status, UpdatedAt, Id);

-- Addenda stay append-only, except that an erasure removes those on an erased client's own sessions.
DROP TRIGGER TR_SessionNoteAddenda_NoDelete;
CREATE TRIGGER TR_SessionNoteAddenda_NoDelete BEFORE DELETE ON SessionNoteAddenda
WHEN NOT EXISTS (SELECT 1 FROM Sessions s JOIN Clients c ON c.Id = s.ClientId WHERE s.Id = OLD.SessionId AND c.ErasedAt IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'note addenda are append-only'); END;
