-- How long before a session a client is reminded of it (1 to 168 hours; null: no reminders). Without a row the
-- practice's default applies (Reminders:SessionHoursBefore, 24).
CREATE TABLE dbo.ReminderSettings (
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_ReminderSettings_Practices REFERENCES dbo.Practices (Id),
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_ReminderSettings_Clients REFERENCES dbo.Clients (Id),
    HoursBefore INT NULL CONSTRAINT CK_ReminderSettings_Hours CHECK (HoursBefore BETWEEN 1 AND 168),
    UpdatedAt DATETIME2(7) NOT NULL,
    CONSTRAINT PK_ReminderSettings PRIMARY KEY (PracticeId, ClientId)
);
GO

-- Each session.reminder_due published, per participant and start time: the key makes it once, whichever instance tries,
-- and a rescheduled session is reminded of again for its new time.
CREATE TABLE dbo.SessionReminders (
    PracticeId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SessionReminders_Practices REFERENCES dbo.Practices (Id),
    SessionId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SessionReminders_Sessions REFERENCES dbo.Sessions (Id),
    ClientId UNIQUEIDENTIFIER NOT NULL CONSTRAINT FK_SessionReminders_Clients REFERENCES dbo.Clients (Id),
    StartsAt DATETIME2(7) NOT NULL,
    PublishedAt DATETIME2(7) NOT NULL,
    CONSTRAINT PK_SessionReminders PRIMARY KEY (PracticeId, SessionId, ClientId, StartsAt)
);
GO
