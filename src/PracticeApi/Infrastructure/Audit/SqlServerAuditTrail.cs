using System.Data;
using Microsoft.Data.SqlClient;

namespace PracticeApi.Infrastructure.Audit;

/// <summary>
/// SQL Server's audit trail: a batch of read events goes straight into the audit tables through two bulk copies in one
/// transaction (as bitwarden's event repository does), instead of an insert per event and per client row. Constraints
/// are checked (the client rows' foreign key stays trusted); the tables' append-only triggers guard updates and
/// deletes, which a bulk insert does not touch.
/// </summary>
public sealed class SqlServerAuditTrail(Db db) : IAuditTrail
{
    public bool MovesReads => false;

    public Task AppendAsync(DbWrite c, IReadOnlyCollection<AuditRecord> events) => AuditTables.AppendAsync(c, events);

    public async Task CommitReadsAsync(IReadOnlyCollection<AuditRecord> reads, CancellationToken ct)
    {
        await using var connection = (SqlConnection)await db.OpenPhysicalAsync(ct);
        await using var transaction = (SqlTransaction)await connection.BeginTransactionAsync(ct);
        await CopyAsync(connection, transaction, "dbo.AuditEvents", EventTable(reads), ct);
        var clients = ClientTable(reads);
        if (clients.Rows.Count > 0) await CopyAsync(connection, transaction, "dbo.AuditEventClients", clients, ct);
        await transaction.CommitAsync(ct);
    }

    public Task<int> FlushAsync(CancellationToken ct) => Task.FromResult(0);

    private static async Task CopyAsync(SqlConnection connection, SqlTransaction transaction, string table,
        DataTable rows, CancellationToken ct)
    {
        using var copy = new SqlBulkCopy(connection, SqlBulkCopyOptions.CheckConstraints,
            transaction) { DestinationTableName = table };
        foreach (DataColumn column in rows.Columns) copy.ColumnMappings.Add(column.ColumnName, column.ColumnName);
        await copy.WriteToServerAsync(rows, ct);
    }

    /// <summary>The events as rows of AuditEvents: one column per <see cref="AuditRecord.Columns"/>, typed as the
    /// table's.</summary>
    internal static DataTable EventTable(IEnumerable<AuditRecord> events)
    {
        var table = Table(AuditRecord.Columns, typeof(Guid), typeof(Guid), typeof(DateTime), typeof(string),
            typeof(Guid), typeof(Guid), typeof(string),
            typeof(string), typeof(Guid), typeof(string), typeof(string), typeof(string), typeof(string), typeof(string));
        foreach (var record in events) table.Rows.Add(record.Values(DatabaseProvider.SqlServer).Select(v => v
            ?? DBNull.Value).ToArray());
        return table;
    }

    /// <summary>The events' client rows as rows of AuditEventClients (<see
    /// cref="AuditRecord.ClientColumns"/>).</summary>
    internal static DataTable ClientTable(IEnumerable<AuditRecord> events)
    {
        var table = Table(AuditRecord.ClientColumns, typeof(Guid), typeof(Guid), typeof(Guid), typeof(DateTime));
        foreach (var row in events.SelectMany(e => e.ClientRows())) table.Rows.Add(row.Select(
            v => v ?? DBNull.Value).ToArray());
        return table;
    }

    private static DataTable Table(string[] columns, params Type[] types)
    {
        var table = new DataTable { Locale = System.Globalization.CultureInfo.InvariantCulture };
        for (var i = 0; i < columns.Length; i++) table.Columns.Add(columns[i], types[i]);
        return table;
    }
}
