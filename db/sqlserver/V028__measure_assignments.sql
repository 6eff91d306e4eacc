-- Outcome measures assigned like an exercise: a client takes a measure once or on a cadence (daily, weekly, monthly),
-- each occurrence due at a local time of day. A score names the occurrence it answers; the first answer fills it.
CREATE TABLE dbo.MeasureAssignments (
    Id UNIQUEIDENTIFIER NOT NULL CONSTRAINT PK_MeasureAssignments PRIMARY KEY NONCLUSTERED,
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_MeasureAssignments_Practices REFERENCES dbo.Practices (Id),
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_MeasureAssignments_Clients REFERENCES dbo.Clients (Id),
    MeasureId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_MeasureAssignments_Definitions REFERENCES dbo.MeasureDefinitions (Id),
    Cadence NVARCHAR(10) NOT NULL CONSTRAINT CK_MeasureAssignments_Cadence CHECK (Cadence IN (N'once', N'daily', N'weekly', N'monthly')),
    StartsOn DATE NOT NULL,
    EndsOn DATE NULL,
    Occurrences INT NULL,
    DueTime NVARCHAR(5) NOT NULL,
    Note NVARCHAR(2000) NULL,
    Status NVARCHAR(10) NOT NULL CONSTRAINT CK_MeasureAssignments_Status CHECK (Status IN (N'active', N'cancelled')),
    CreatedBy UNIQUEIDENTIFIER NULL,
    CreatedAt DATETIME2(7) NOT NULL,
    CancelledAt DATETIME2(7) NULL
);
GO
CREATE CLUSTERED INDEX IX_MeasureAssignments_PracticeId_ClientId ON dbo.MeasureAssignments (PracticeId, ClientId, Id);
GO

-- When the score reached the server (what on time or late is judged by; takenAt may be given earlier), and the occurrence
-- of an assignment it answers: one score per occurrence.
ALTER TABLE dbo.MeasureScores ADD RecordedAt DATETIME2(7) NULL;
GO
ALTER TABLE dbo.MeasureScores ADD AssignmentId UNIQUEIDENTIFIER NULL CONSTRAINT FK_MeasureScores_Assignments REFERENCES dbo.MeasureAssignments (Id);
GO
ALTER TABLE dbo.MeasureScores ADD OccurrenceDate DATE NULL;
GO
CREATE UNIQUE INDEX UX_MeasureScores_Assignment_Occurrence ON dbo.MeasureScores (PracticeId, AssignmentId, OccurrenceDate) WHERE AssignmentId IS NOT NULL;
GO
