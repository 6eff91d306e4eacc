-- How long before a session a client is reminded of it (1 to 168 hours; null: no reminders). Without a row the
-- practice's default applies (Reminders:SessionHoursBefore, 24).
CREATE TABLE ReminderSettings (
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    ClientId TEXT NOT NULL REFERENCES Clients (Id),
    HoursBefore INTEGER NULL CHECK (HoursBefore BETWEEN 1 AND 168),
    UpdatedAt TEXT NOT NULL,
    PRIMARY KEY (PracticeId, ClientId)
);

-- Each session.reminder_due published, per participant and start time: the key makes it once, whichever instance tries,
-- and a rescheduled session is reminded of again for its new time.
CREATE TABLE SessionReminders (
    PracticeId TEXT NOT NULL REFERENCES Practices (Id),
    SessionId TEXT NOT NULL REFERENCES Sessions (Id),
    ClientId TEXT NOT NULL REFERENCES Clients (Id),
    StartsAt TEXT NOT NULL,
    PublishedAt TEXT NOT NULL,
    PRIMARY KEY (PracticeId, SessionId, ClientId, StartsAt)
);
