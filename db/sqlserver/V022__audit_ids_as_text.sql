-- In step with SQLite's V022, where the audit tables' ids became text like every other id in that database and an event's
-- clients a JSON array of ids. SQL Server has kept them as uniqueidentifier and a JSON array from the start: nothing to
-- change here.
SELECT 1 AS NothingToChange;
