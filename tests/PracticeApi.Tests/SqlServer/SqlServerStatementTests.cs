using System.Text.RegularExpressions;
using Microsoft.SqlServer.Dac;
using Microsoft.SqlServer.Dac.Model;
using PracticeApi.Infrastructure.Data;

namespace PracticeApi.Tests.SqlServer;

/// <summary>
/// SQL Server proven without a server: the migrations build a DacFx model with no errors, and every statement the
/// application can send to SQL Server (the statement catalogue, after the dialect rewrite and with list parameters
/// expanded as Dapper does) binds to it, each as the body of a procedure.
/// </summary>
public sealed partial class SqlServerStatementTests
{
    private static readonly Lazy<SqlServerModel> Schema = new(SqlServerModel.FromMigrations);

    [Fact]
    public void The_migrations_build_a_schema_model_without_errors()
    {
        using var model = Schema.Value.Build([]);
        var errors = Errors(model);
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Contains("dbo.Clients", Schema.Value.Tables.Keys);
    }

    [Fact]
    public void Every_statement_the_application_sends_binds_to_the_schema()
    {
        var statements = SqlCatalogue.All.Where(s => s.RunsOn(DatabaseProvider.SqlServer)).ToList();
        Assert.True(statements.Count > 100, $"only {statements.Count} statements found");
        var bound = Bind(statements.Select(s => (s.Owner + "." + s.Name, s.Text)));
        Assert.True(bound.Count == 0, string.Join("\n", bound));
        // A data migration runs before its own DROP TABLE: it binds against the schema plus the tables dropped later.
        var data = Bind(Schema.Value.DataStatements.Select((text, i) => ($"migration data {i}", text)),
            withDroppedTables: true);
        Assert.True(data.Count == 0, string.Join("\n", data));
    }

    [Theory]
    [InlineData("SELECT Id, FirstNam FROM Clients WHERE PracticeId = @PracticeId", "FirstNam")]
    [InlineData("SELECT Id FROM Clientz WHERE PracticeId = @PracticeId", "Clientz")]
    [InlineData("SELECT Id FROM Clients WHERE PracticeId = @PracticeId LIMIT @Limit", "LIMIT")]
    [InlineData("INSERT OR IGNORE INTO Clients (Id) VALUES (@Id)", "IGNORE")]
    [InlineData("INSERT INTO CareTeam (ClientId, TherapistId, Nope) VALUES (@ClientId, @TherapistId, 1)", "Nope")]
    public void A_misspelt_name_or_a_sqlite_construct_fails(string sql, string culprit)
    {
        var problems = Bind([("misspelt", sql)]);
        Assert.NotEmpty(problems);
        Assert.Contains(problems, p => p.Contains(culprit, StringComparison.OrdinalIgnoreCase) || p.Contains("parse",
            StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Binds each statement (SQL Server rewrite, lists expanded) as a procedure body; returns the problems
    /// found.</summary>
    public static List<string> Bind(IEnumerable<(string Name, string Sql)> statements, bool withDroppedTables = false)
    {
        var problems = new List<string>();
        var procedures = new List<(string Name, string Script)>();
        var names = new Dictionary<string, string>();
        var i = 0;
        foreach (var (name, sql) in statements)
        {
            var text = ExpandLists(SqlDialect.SqlServer.Sql(sql));
            var declared = DeclaredVariable().Matches(text).Select(m => m.Groups["name"].Value)
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            var parameters = Parameter().Matches(text).Select(m => m.Groups["name"].Value)
                .Where(p => !declared.Contains(p)).Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(p => $"@{p} {TypeOf(p)}");
            var procedure = $"Bound_{i++}";
            names[procedure] = name;
            var script = $"CREATE PROCEDURE dbo.{procedure} {string.Join(", ", parameters)}\nAS\nBEGIN\n{text}\nEND";
            try
            {
                SqlServerModel.Parse(script, name);
            }
            catch (InvalidOperationException e)
            {
                problems.Add($"{name}: does not parse as T-SQL: {e.Message}\n{text}");
                continue;
            }

            procedures.Add(($"{procedure}.sql", script));
        }

        using var model = Schema.Value.Build(procedures, withDroppedTables);
        foreach (var error in Errors(model))
        {
            var procedure = BoundName().Match(error);
            problems.Add(procedure.Success && names.TryGetValue(procedure.Value,
                out var owner) ? $"{owner}: {error}" : error);
        }

        return problems;
    }

    // Errors, and unresolved references (SQL71502, a warning in DacFx: an unknown table in a procedure body). The
    // server's own catalog views (sys.databases, read by the READ_COMMITTED_SNAPSHOT check) are not in a database's
    // model.
    private static List<string> Errors(TSqlModel model) =>
        model.Validate().Where(m => m.MessageType == DacMessageType.Error || m.Number is 71502 or 71501)
            .Where(m => !(m.Number == 71502 && m.Message.Contains("unresolved reference to object [sys].[databases]",
            StringComparison.Ordinal)))
            .Select(m => $"{m.Prefix}{m.Number}: {m.Message}").ToList();

    /// <summary>Dapper sends <c>IN @Ids</c> as <c>IN (@Ids1, @Ids2, …)</c>.</summary>
    private static string ExpandLists(string sql) => ListParameter().Replace(sql,
        m => $"IN (@{m.Groups["name"].Value}1, @{m.Groups["name"].Value}2)");

    private static string TypeOf(string parameter) => parameter switch
    {
        _ when parameter.EndsWith("Id", StringComparison.Ordinal) || Regex.IsMatch(parameter,
            @"Ids\d+$") || parameter.EndsWith("Id1", StringComparison.Ordinal) => "UNIQUEIDENTIFIER",
        "Limit" or "Version" or "Attempts" or "Revision" => "INT",
        _ when parameter.EndsWith("At", StringComparison.Ordinal) || parameter is "Now" or "Until" or "Expected" =>
            "DATETIME2(7)",
        _ => "NVARCHAR(4000)",
    };

    [GeneratedRegex(@"\bIN\s+@(?<name>\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex ListParameter();

    [GeneratedRegex(@"(?<![@\w])@(?<name>[A-Za-z_]\w*)")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"DECLARE\s+@(?<name>\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex DeclaredVariable();

    [GeneratedRegex(@"Bound_\d+")]
    private static partial Regex BoundName();
}
