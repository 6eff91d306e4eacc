using System.Data;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using PracticeApi.Infrastructure.Audit;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Infrastructure.Security;

namespace PracticeApi.Tests.SqlServer;

/// <summary>
/// SQL Server's read-audit batches go through SqlBulkCopy, which sends no statement the static check could bind:
/// instead, the rows it copies are checked against the audit tables the migrations make, column by column (name and
/// type), every column of the table and no other.
/// </summary>
public sealed class SqlServerAuditTrailTests
{
    private static readonly SqlServerModel Model = SqlServerModel.FromMigrations();

    private static readonly AuditRecord Read = new(Guid.NewGuid(), Guid.NewGuid(), DateTime.UtcNow,
        ActorKind.User, Guid.NewGuid(), Guid.NewGuid(), AuditAction.Read, "client", Guid.NewGuid(), AuditOutcome.Success, "127.0.0.1", "req", null, [Guid.NewGuid(), Guid.NewGuid()]);

    public static TheoryData<string> Tables => ["AuditEvents", "AuditEventClients"];

    [Theory]
    [MemberData(nameof(Tables))]
    public void The_bulk_copied_rows_match_the_audit_table_column_for_column(string name)
    {
        var rows = name == "AuditEvents"
            ? SqlServerAuditTrail.EventTable([Read]) : SqlServerAuditTrail.ClientTable([Read]);
        var table = Model.Tables["dbo." + name];
        var columns = table.Definition.ColumnDefinitions.ToDictionary(c => c.ColumnIdentifier.Value,
            StringComparer.Ordinal);

        Assert.Equal(columns.Keys.Order(), rows.Columns.Cast<DataColumn>().Select(c => c.ColumnName).Order());
        foreach (DataColumn column in rows.Columns)
        {
            var declared = columns[column.ColumnName];
            var type = ((SqlDataTypeReference)declared.DataType).SqlDataTypeOption;
            var expected = column.DataType == typeof(Guid) ? SqlDataTypeOption.UniqueIdentifier
                : column.DataType == typeof(DateTime) ? SqlDataTypeOption.DateTime2 : SqlDataTypeOption.NVarChar;
            Assert.True(expected == type,
                $"{name}.{column.ColumnName} is {type}, the copy sends {column.DataType.Name}");
        }

        Assert.Equal(name == "AuditEvents" ? 1 : 2, rows.Rows.Count);
    }

    [Fact]
    public void Every_value_of_an_event_lands_in_its_column()
    {
        var row = SqlServerAuditTrail.EventTable([Read]).Rows[0];
        Assert.Equal(Read.Id, row["Id"]);
        Assert.Equal(Read.OccurredAt, row["OccurredAt"]);
        Assert.Equal(DBNull.Value, row["Detail"]);
        Assert.Equal(Read.ClientIds, StoredIds.ParseList(row["ClientIds"]));
        var clients = SqlServerAuditTrail.ClientTable([Read]).Rows.Cast<DataRow>().ToList();
        Assert.Equal(Read.ClientIds, clients.Select(c => (Guid)c["ClientId"]));
        Assert.All(clients, c => Assert.Equal((Read.Id, Read.PracticeId!.Value), ((Guid)c["AuditEventId"],
            (Guid)c["PracticeId"])));
    }
}
