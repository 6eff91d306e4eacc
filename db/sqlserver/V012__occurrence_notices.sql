-- One row per published occurrence event (due soon, missed): the key makes each event once, across restarts and instances.
CREATE TABLE dbo.OccurrenceNotices (
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_OccurrenceNotices_Practices REFERENCES dbo.Practices (Id),
    AssignmentId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_OccurrenceNotices_Assignments REFERENCES dbo.Assignments (Id),
    RespondentId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_OccurrenceNotices_Clients REFERENCES dbo.Clients (Id),
    OccurrenceDate DATE NOT NULL,
    Kind NVARCHAR(10) NOT NULL CONSTRAINT CK_OccurrenceNotices_Kind CHECK (Kind IN ('due', 'missed')),
    PublishedAt DATETIME2(7) NOT NULL,
    CONSTRAINT PK_OccurrenceNotices PRIMARY KEY (AssignmentId, RespondentId, OccurrenceDate, Kind)
);
GO
-- The notifier's scan: active assignments whose last occurrence is recent or ahead.
CREATE INDEX IX_Assignments_Status_LastDueAt ON dbo.Assignments (Status, LastDueAt, PracticeId, Id);
GO
