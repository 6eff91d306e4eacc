using System.Net.Http.Json;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.SqlServer;

/// <summary>SQL Server's limits, read off the schema model: index keys, and the validators' maximum lengths.</summary>
public sealed class SqlServerLimitTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private const int ClusteredKeyLimit = 900;
    private const int NonclusteredKeyLimit = 1700;

    private static readonly SqlServerModel Schema = SqlServerModel.FromMigrations();

    [Fact]
    public void Every_index_key_fits_sql_servers_limit()
    {
        var keys = Keys().ToList();
        Assert.True(keys.Count > 40, $"only {keys.Count} keys found");
        var over = keys.Where(k => k.Bytes > (k.Clustered ? ClusteredKeyLimit : NonclusteredKeyLimit))
            .Select(k => $"{k.Name} on {k.Table}: {k.Bytes} bytes ({(k.Clustered ? "clustered" : "nonclustered")})").ToList();
        Assert.True(over.Count == 0, string.Join("\n", over));
        Assert.Contains(keys, k => k is { Name: "PK_ClientIdentifiers", Clustered: true, Bytes: 886 });
    }

    [Fact]
    public void A_key_over_the_limit_is_found()
    {
        var model = SqlServerModel.From([new PracticeApi.Infrastructure.Data.Migration(1, "wide", "wide.sql",
            "CREATE TABLE dbo.Wide (A NVARCHAR(300) NOT NULL, B NVARCHAR(200) NOT NULL, CONSTRAINT PK_Wide PRIMARY KEY CLUSTERED (A, B));", "x")]);
        Assert.Contains(Keys(model), k => k.Name == "PK_Wide" && k.Bytes == 1000 && k.Clustered);
    }

    /// <summary>
    /// Every maximum length a validator accepts fits the SQL Server columns of that name (SQLite TEXT has no length).
    /// Nested rules are reached through the validators of the request types that hold them.
    /// </summary>
    [Fact]
    public void Every_validated_maximum_length_fits_its_columns()
    {
        var columns = Schema.Tables.Values.SelectMany(t => t.Definition.ColumnDefinitions.Select(
            c => (Table: t.SchemaObjectName.BaseIdentifier.Value, Column: c)))
            .Where(c => Length(c.Column.DataType) is > 0)
            .ToLookup(c => c.Column.ColumnIdentifier.Value, c => (c.Table, Length: Length(c.Column.DataType)!.Value),
            StringComparer.OrdinalIgnoreCase);

        var checkedRules = 0;
        var problems = new List<string>();
        var lengths = MaximumLengths(api.Services).ToList();
        Assert.Contains(lengths, l => l is { Validator: "IdentifierQueryValidator", Member: "System",
            Max: PracticeApi.Features.Clients.Identifier.MaxSystemLength });
        foreach (var (validator, member, max) in lengths)
        {
            // Columns of the same name in the tables the request is stored in: Name, Title, System, Value, ….
            foreach (var (table, length) in columns[member])
            {
                checkedRules++;
                if (max > length) problems.Add(
                    $"{validator}.{member} accepts {max} characters; {table}.{member} holds {length}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(checkedRules > 5, $"only {checkedRules} length rules matched a column");
    }

    [Fact]
    public async Task Identifiers_over_the_key_limit_are_refused_with_a_problem()
    {
        var practice = await api.NewPracticeAsync();
        var client = practice.Admin;
        var response = await client.PostAsJsonAsync("/api/v1/clients", new
        {
            firstName = "Anna", lastName = "Jansen",
            identifiers = new[] { new { system = "https://ehr.example/" + new string('s', 250), value = "1" } },
        });
        var problem = await response.ReadJsonAsync(400);
        Assert.Contains("identifiers[0].System", problem.GetProperty("errors").EnumerateObject().Select(p => p.Name),
            StringComparer.OrdinalIgnoreCase);

        var upsert = await client.PutAsJsonAsync(
            $"/api/v1/clients/by-identifier?system=https%3A%2F%2Fehr.example&value={new string('v', 181)}",
            new { firstName = "Anna", lastName = "Jansen" });
        await upsert.ReadJsonAsync(400);
    }

    private static IEnumerable<(string Validator, string Member, int Max)> MaximumLengths(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var validatorTypes = typeof(Program).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && !t.IsGenericTypeDefinition)
            .SelectMany(t => t.GetInterfaces().Where(i => i.IsGenericType
            && i.GetGenericTypeDefinition() == typeof(IValidator<>)))
            .Distinct();
        foreach (var type in validatorTypes)
        {
            if (scope.ServiceProvider.GetService(type) is not IValidator validator) continue;
            foreach (var (member, max) in Lengths(validator.CreateDescriptor()))
            {
                yield return (validator.GetType().Name, member, max);
            }
        }
    }

    private static IEnumerable<(string Member, int Max)> Lengths(IValidatorDescriptor descriptor)
    {
        foreach (var group in descriptor.GetMembersWithValidators())
        {
            foreach (var (component, _) in group)
            {
                if (component is ILengthValidator { Max: > 0 } length) yield return (group.Key.Split('.')[^1],
                    length.Max);
            }
        }
    }

    public sealed record Key(string Name, string Table, int Bytes, bool Clustered);

    private static IEnumerable<Key> Keys(SqlServerModel? model = null)
    {
        model ??= Schema;
        foreach (var (name, table) in model.Tables)
        {
            var definitions = table.Definition.ColumnDefinitions.ToDictionary(c => c.ColumnIdentifier.Value,
                StringComparer.OrdinalIgnoreCase);
            int Bytes(IEnumerable<string> columns) => columns.Sum(c => Size(definitions[c].DataType));
            foreach (var constraint in table.Definition.TableConstraints.OfType<UniqueConstraintDefinition>())
            {
                yield return new Key(constraint.ConstraintIdentifier.Value, name,
                    Bytes(constraint.Columns.Select(Column)), constraint.Clustered ?? constraint.IsPrimaryKey);
            }

            foreach (var column in table.Definition.ColumnDefinitions)
            {
                foreach (var constraint in column.Constraints.OfType<UniqueConstraintDefinition>())
                {
                    yield return new Key(constraint.ConstraintIdentifier?.Value ?? column.ColumnIdentifier.Value, name,
                        Size(column.DataType), constraint.Clustered ?? constraint.IsPrimaryKey);
                }
            }

            foreach (var index in table.Definition.Indexes)
            {
                yield return new Key(index.Name.Value, name, Bytes(index.Columns.Select(Column)),
                    index.IndexType?.IndexTypeKind == IndexTypeKind.Clustered);
            }
        }

        foreach (var index in model.Indexes)
        {
            var table = model.Tables[SqlServerModel.Name(index.OnName)];
            var definitions = table.Definition.ColumnDefinitions.ToDictionary(c => c.ColumnIdentifier.Value,
                StringComparer.OrdinalIgnoreCase);
            yield return new Key(index.Name.Value, SqlServerModel.Name(index.OnName),
                index.Columns.Select(Column).Sum(c => Size(definitions[c].DataType)), index.Clustered == true);
        }
    }

    private static string Column(ColumnWithSortOrder column) => column.Column.MultiPartIdentifier.Identifiers[^1].Value;

    private static int? Length(DataTypeReference type) =>
        type is SqlDataTypeReference { SqlDataTypeOption: SqlDataTypeOption.NVarChar or SqlDataTypeOption.VarChar or SqlDataTypeOption.NChar or SqlDataTypeOption.Char } sql
            && sql.Parameters.Count == 1 && int.TryParse(sql.Parameters[0].Value, out var n) ? n : null;

    /// <summary>Bytes a column takes in an index key.</summary>
    private static int Size(DataTypeReference type)
    {
        if (type is not SqlDataTypeReference sql) return 16;
        var n = sql.Parameters.Count > 0 && int.TryParse(sql.Parameters[0].Value, out var p) ? p : 1;
        return sql.SqlDataTypeOption switch
        {
            SqlDataTypeOption.NVarChar or SqlDataTypeOption.NChar => 2 * n,
            SqlDataTypeOption.VarChar or SqlDataTypeOption.Char or SqlDataTypeOption.Binary or SqlDataTypeOption.VarBinary => n,
            SqlDataTypeOption.UniqueIdentifier => 16,
            SqlDataTypeOption.BigInt or SqlDataTypeOption.DateTime2 or SqlDataTypeOption.Rowversion or SqlDataTypeOption.Timestamp or SqlDataTypeOption.DateTime => 8,
            SqlDataTypeOption.Int => 4,
            SqlDataTypeOption.SmallInt => 2,
            SqlDataTypeOption.TinyInt or SqlDataTypeOption.Bit => 1,
            SqlDataTypeOption.Date => 3,
            SqlDataTypeOption.Time => 5,
            SqlDataTypeOption.DateTimeOffset => 10,
            SqlDataTypeOption.Decimal or SqlDataTypeOption.Numeric => 17,
            _ => throw new InvalidOperationException($"no key size for {sql.SqlDataTypeOption}"),
        };
    }
}
