using System.Text;
using Microsoft.SqlServer.Dac.Model;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using PracticeApi.Infrastructure.Data;

namespace PracticeApi.Tests.SqlServer;

/// <summary>
/// The schema that db/sqlserver/*.sql produces, as a DacFx model. The model takes object definitions only, so the
/// migrations are folded first: ALTER TABLE … ADD column/constraint goes into its CREATE TABLE, ALTER TABLE … DROP and
/// DROP INDEX take their object out, and data statements (INSERT/UPDATE/DELETE) are kept to be bound like the
/// application's own statements.
/// </summary>
public sealed class SqlServerModel
{
    public const SqlServerVersion Version = SqlServerVersion.Sql160;

    private static readonly Sql160ScriptGenerator Generator = new(
        new SqlScriptGeneratorOptions { IncludeSemicolons = true });

    public IReadOnlyDictionary<string, CreateTableStatement> Tables => _tables;

    public IReadOnlyList<CreateIndexStatement> Indexes => _indexes;

    /// <summary>Data statements of the migrations (bound as procedure bodies).</summary>
    public IReadOnlyList<string> DataStatements => _data;

    private readonly Dictionary<string, CreateTableStatement> _tables = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<CreateIndexStatement> _indexes = [];
    private readonly List<TSqlStatement> _others = [];
    private readonly List<string> _data = [];

    // Tables a later migration dropped: a data migration may still read them before the drop (V018 reads
    // RecoveryLogSharing), so its statements bind against the final schema plus these; the application's never do.
    private readonly Dictionary<string, CreateTableStatement> _dropped = new(StringComparer.OrdinalIgnoreCase);

    public static SqlServerModel FromMigrations() => From(MigrationRunner.Embedded(DatabaseProvider.SqlServer));

    public static SqlServerModel From(IEnumerable<Migration> migrations)
    {
        var model = new SqlServerModel();
        // The runner's own journal table ("IF OBJECT_ID(...) IS NULL CREATE TABLE dbo.SchemaMigrations ...").
        var journal = SqlCatalogue.All.Single(s => s.Owner == typeof(MigrationRunner).FullName
            && s.Only == DatabaseProvider.SqlServer);
        foreach (var statement in Parse(journal.Text, journal.Name))
        {
            model.Fold(statement is IfStatement conditional ? conditional.ThenStatement : statement, journal.Name);
        }

        foreach (var migration in migrations)
        {
            foreach (var batch in MigrationRunner.Batches(migration.Sql, DatabaseProvider.SqlServer))
            {
                foreach (var statement in Parse(batch, migration.FileName)) model.Fold(statement, migration.FileName);
            }
        }

        return model;
    }

    public static IList<TSqlStatement> Parse(string sql, string source)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        var fragment = (TSqlScript)parser.Parse(new StringReader(sql), out var errors);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"{source}: " + string.Join("; ",
                errors.Select(e => $"line {e.Line}: {e.Message}")));
        }

        return fragment.Batches.SelectMany(b => b.Statements).ToList();
    }

    public static string Script(TSqlFragment fragment)
    {
        Generator.GenerateScript(fragment, out var script);
        return script;
    }

    private void Fold(TSqlStatement statement, string source)
    {
        switch (statement)
        {
            case CreateTableStatement create:
                _tables[Name(create.SchemaObjectName)] = create;
                break;
            case CreateIndexStatement index:
                _indexes.Add(index);
                break;
            case AlterTableAddTableElementStatement add:
                var table = Table(add.SchemaObjectName, source);
                foreach (var column in add.Definition.ColumnDefinitions) table.Definition.ColumnDefinitions.Add(column);
                foreach (var constraint in add.Definition.TableConstraints) table.Definition.TableConstraints.Add(
                    constraint);
                foreach (var index in add.Definition.Indexes) table.Definition.Indexes.Add(index);
                break;
            case AlterTableDropTableElementStatement drop:
                var target = Table(drop.SchemaObjectName, source);
                foreach (var element in drop.AlterTableDropTableElements)
                {
                    var name = element.Name.Value;
                    Remove(target.Definition.ColumnDefinitions, c => Same(c.ColumnIdentifier, name));
                    Remove(target.Definition.TableConstraints, c => Same(c.ConstraintIdentifier, name));
                    Remove(target.Definition.Indexes, i => Same(i.Name, name));
                    foreach (var column in target.Definition.ColumnDefinitions) Remove(column.Constraints,
                        c => Same(c.ConstraintIdentifier, name));
                }

                break;
            case AlterTableAlterColumnStatement alter:
                var owner = Table(alter.SchemaObjectName, source);
                var existing = owner.Definition.ColumnDefinitions.Single(c => Same(c.ColumnIdentifier,
                    alter.ColumnIdentifier.Value));
                existing.DataType = alter.DataType ?? existing.DataType;
                // ALTER COLUMN without NOT NULL makes the column nullable, as SQL Server does.
                Remove(existing.Constraints, c => c is NullableConstraintDefinition);
                existing.Constraints.Add(new NullableConstraintDefinition { Nullable = alter.AlterTableAlterColumnOption != AlterTableAlterColumnOption.NotNull });
                break;
            case DropIndexStatement dropIndex:
                foreach (var clause in dropIndex.DropIndexClauses.OfType<DropIndexClause>())
                {
                    var removed = _indexes.RemoveAll(i => Same(i.Name,
                        clause.Index.Value) && Same(i.OnName.BaseIdentifier, clause.Object.BaseIdentifier.Value));
                    if (removed == 0)
                    {
                        var table2 = Table(clause.Object, source);
                        Remove(table2.Definition.Indexes, i => Same(i.Name, clause.Index.Value));
                    }
                }

                break;
            case DropTriggerStatement dropTrigger:
                foreach (var name in dropTrigger.Objects)
                {
                    _others.RemoveAll(o => o is CreateTriggerStatement created && Same(created.Name.BaseIdentifier,
                        name.BaseIdentifier.Value));
                }

                break;
            case DropTableStatement dropTable:
                foreach (var name in dropTable.Objects)
                {
                    if (_tables.Remove(Name(name), out var dropped)) _dropped[Name(name)] = dropped;
                }

                break;
            case InsertStatement or UpdateStatement or DeleteStatement or MergeStatement:
                _data.Add(Script(statement));
                break;
            case PredicateSetStatement:
            case EnableDisableTriggerStatement: // a data migration's toggle around its own UPDATE, not a schema object
                break;
            default:
                _others.Add(statement);
                break;
        }
    }

    /// <summary>The folded schema as object definitions, one script per object.</summary>
    public IEnumerable<(string Name, string Script)> Objects()
    {
        foreach (var (name, table) in _tables) yield return (name, Script(table));
        foreach (var index in _indexes) yield return ($"{Name(index.OnName)}.{index.Name.Value}", Script(index));
        foreach (var other in _others) yield return (other.GetType().Name, Script(other));
    }

    /// <summary>
    /// A DacFx model of the schema, plus any extra object scripts (the bound statements); with <paramref
    /// name="withDropped"/>, also the tables migrations dropped (for binding the migrations' own data statements).
    /// </summary>
    public TSqlModel Build(IEnumerable<(string Name, string Script)> extra, bool withDropped = false)
    {
        var model = new TSqlModel(Version, new TSqlModelOptions());
        var dropped = withDropped ? _dropped.Where(d => !_tables.ContainsKey(d.Key)).Select(d => (d.Key,
            Script(d.Value))) : [];
        foreach (var (name, script) in Objects().Concat(dropped).Concat(extra)) model.AddOrUpdateObjects(script, name,
            new TSqlObjectOptions());
        return model;
    }

    private CreateTableStatement Table(SchemaObjectName name, string source) =>
        _tables.TryGetValue(Name(name),
            out var table) ? table : throw new InvalidOperationException($"{source}: no table {Name(name)} to alter");

    public static string Name(SchemaObjectName name) =>
        $"{name.SchemaIdentifier?.Value ?? "dbo"}.{name.BaseIdentifier.Value}";

    private static bool Same(Identifier? identifier, string name) => string.Equals(identifier?.Value, name,
        StringComparison.OrdinalIgnoreCase);

    private static void Remove<T>(IList<T> list, Func<T, bool> match)
    {
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (match(list[i])) list.RemoveAt(i);
        }
    }
}
