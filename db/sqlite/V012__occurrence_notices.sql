-- One row per published occurrence event (due soon, missed): the key makes each event once, across restarts and instances.
CREATE TABLE OccurrenceNotices (
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    AssignmentId TEXT NOT NULL REFERENCES Assignments (Id),
    RespondentId TEXT NOT NULL REFERENCES Clients (Id),
    OccurrenceDate TEXT NOT NULL,
    Kind TEXT NOT NULL CHECK (Kind IN ('due', 'missed')),
    PublishedAt TEXT NOT NULL,
    PRIMARY KEY (AssignmentId, RespondentId, OccurrenceDate, Kind)
);

-- The notifier's scan: active assignments whose last occurrence is recent or ahead.
CREATE INDEX IX_Assignments_Status_LastDueAt ON Assignments (Status, LastDueAt, PracticeId, Id);
