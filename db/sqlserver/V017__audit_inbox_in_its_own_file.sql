-- In step with SQLite's V017, where read audits now wait in a database file of their own. SQL Server writes read audits
-- straight into AuditEvents and AuditEventClients and never wrote to this table (V016 made it for parity only).
DROP TABLE dbo.AuditInbox;
GO
