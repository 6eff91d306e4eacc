using System.Collections.Frozen;
using System.Reflection;
using System.Text.RegularExpressions;

namespace PracticeApi.Infrastructure.Data;

/// <summary>Marks a SQL constant that is sent to one database only (for example a SQLite PRAGMA).</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class SqlDialectOnlyAttribute(DatabaseProvider provider) : Attribute
{
    public DatabaseProvider Provider { get; } = provider;
}

/// <summary>One SQL constant of the application: where it is declared, and for which databases.</summary>
public sealed record SqlStatement(string Owner, string Name, string Text, DatabaseProvider? Only)
{
    public bool RunsOn(DatabaseProvider provider) => Only is null || Only == provider;
}

/// <summary>
/// Every statement the application can send, taken from the stores' own SQL constants (by reflection, not by reading
/// source text). The static SQL Server check binds each one to the schema model; with <c>Database:CheckStatements</c>
/// on (the test suite), a command whose text is not one of these (after the dialect rewrite and Dapper's expansion of
/// list parameters) is refused before it runs.
/// </summary>
public static partial class SqlCatalogue
{
    public static IReadOnlyList<SqlStatement> All { get; } = Load();

    private static readonly FrozenSet<string> KnownSqlite = All
        .Where(s => s.RunsOn(DatabaseProvider.Sqlite))
        .SelectMany(s => new[] { s.Text, SqlDialect.Sqlite.Sql(s.Text) })
        .Select(Normalise)
        .Concat(MigrationRunner.Embedded(DatabaseProvider.Sqlite)
        .Concat(MigrationRunner.Embedded(MigrationRunner.AuditInboxFolder)).Select(m => Normalise(m.Sql)))
        .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// True when a command text sent to SQLite is one of the catalogue's statements. The driver's own statements
    /// (PRAGMAs on open, BEGIN/COMMIT/ROLLBACK/SAVEPOINT for transactions) configure SQLite and are never sent to SQL
    /// Server.
    /// </summary>
    public static bool IsKnownSqlite(string commandText) => DriverStatement().IsMatch(commandText)
        || KnownSqlite.Contains(Normalise(commandText));

    [GeneratedRegex(@"^\s*(PRAGMA|BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DriverStatement();

    /// <summary>
    /// The shape of a statement: Dapper's list expansion (<c>IN @Ids</c> → <c>IN (@Ids1,@Ids2)</c>) and repeated
    /// multi-row VALUES tuples folded back into one, whitespace collapsed.
    /// </summary>
    public static string Normalise(string sql)
    {
        var text = EmptyList().Replace(sql, "${name}");
        text = NumberedParameter().Replace(text, "@${name}");
        text = ParameterList().Replace(text, "@${name}");
        text = Whitespace().Replace(text, " ");
        text = RepeatedTuple().Replace(text, "${tuple}");
        return text.Trim();
    }

    private static List<SqlStatement> Load()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var statements = new List<SqlStatement>();
        foreach (var type in typeof(SqlCatalogue).Assembly.GetTypes())
        {
            if (type.IsGenericTypeDefinition) continue;
            foreach (var field in type.GetFields(all))
            {
                // const strings, static readonly ones composed once from shared fragments (caseload rules), and static
                // readonly string[] sets (statements made per table, as ExternalIdentifiers does).
                if (!(field.IsLiteral || field.IsInitOnly)) continue;
                var value = field.IsLiteral ? field.GetRawConstantValue() : field.FieldType == typeof(string)
                    || field.FieldType == typeof(string[]) ? field.GetValue(null) : null;
                var texts = value switch { string one => [one], string[] many => many, _ => Array.Empty<string>() };
                var only = field.GetCustomAttribute<SqlDialectOnlyAttribute>()?.Provider;
                for (var i = 0; i < texts.Length; i++)
                {
                    if (!LooksLikeSql().IsMatch(texts[i])) continue;
                    statements.Add(new SqlStatement(type.FullName ?? type.Name,
                        texts.Length == 1 ? field.Name : $"{field.Name}[{i}]", texts[i], only));
                }
            }
        }

        return statements;
    }

    [GeneratedRegex(
        @"^\s*(--[^\n]*\n\s*)*(SELECT|INSERT|UPDATE|DELETE|WITH|MERGE|PRAGMA|CREATE|DROP|ALTER|IF|ATTACH|DETACH)\s+\S")]
    private static partial Regex LooksLikeSql();

    // "@Ids3" → "@Ids" (Dapper's list items, numbered rows of a multi-row insert).
    [GeneratedRegex(@"@(?<name>[A-Za-z_]+)\d+\b")]
    private static partial Regex NumberedParameter();

    // "(@Ids, @Ids, @Ids)" → "@Ids": an expanded list parameter.
    [GeneratedRegex(@"\(\s*@(?<name>\w+)(\s*,\s*@\k<name>)*\s*\)")]
    private static partial Regex ParameterList();

    // "(a, b), (a, b)" → "(a, b)": the rows of a multi-row VALUES.
    [GeneratedRegex(@"(?<tuple>\([^()]*\))(\s*,\s*\k<tuple>)+")]
    private static partial Regex RepeatedTuple();

    // Dapper: an empty list becomes "(SELECT @Ids WHERE 1 = 0)".
    [GeneratedRegex(@"\(SELECT\s+(?<name>@[A-Za-z_]\w*)\s+WHERE\s+1\s*=\s*0\)")]
    private static partial Regex EmptyList();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
