-- A SMART client may register a JWKS URL instead of a key set; Jwks then holds the keys last fetched from it.
ALTER TABLE dbo.SmartClients ADD JwksUrl NVARCHAR(2000) NULL;
GO
