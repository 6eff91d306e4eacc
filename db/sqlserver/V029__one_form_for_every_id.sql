-- One form for every id. SQL Server has always held ids as UNIQUEIDENTIFIER (SQLite's ids become 16-byte blobs in its
-- V029); what changes here is a list of ids in one column: an export file's clients were separated by spaces, and become
-- a JSON array, the form an audit event's clients have on this engine (StoredIds.List in the code).
UPDATE dbo.BulkExportFiles SET ClientIds = CASE WHEN ClientIds = N'' THEN N'[]'
    ELSE N'["' + REPLACE(ClientIds, N' ', N'","') + N'"]' END;
