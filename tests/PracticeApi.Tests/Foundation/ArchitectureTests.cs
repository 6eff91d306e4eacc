using NetArchTest.Rules;

namespace PracticeApi.Tests.Foundation;

/// <summary>
/// The data layer's shape (issue 28): a feature touches the database only through a unit of work (<c>DbSession</c>,
/// <c>DbWrite</c>), never through a connection, transaction, command or Dapper of its own; the SQLite machinery (pool,
/// group commit, kept statements, statement binding) lives in <c>Infrastructure/Data/Sqlite</c>, internal, one type per
/// file, and no feature reaches into it; no file of the data layer grows past 250 lines.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly System.Reflection.Assembly Api = typeof(Program).Assembly;

    /// <summary>
    /// A closed set is named once, by its enum: no string constant elsewhere spells one of its members' wire names (code
    /// that needs the text writes <c>Member.Wire()</c>). The only constants allowed to are the ones an enum takes its
    /// wire names from, where the name is not the member's snake_case (scopes such as clients:read, event types such as
    /// session.scheduled), and the authorization policies, whose names are a vocabulary of their own.
    /// </summary>
    /// <summary>
    /// SQL names closed-set members as literals (<c>Status = 'scheduled'</c>, a migration's <c>CHECK (… IN (…))</c>):
    /// each such literal, in the code's statements and in the migrations of both engines, is a member of an enum, so a
    /// misspelt or retired value fails here instead of matching no row.
    /// </summary>
    [Fact]
    public void Every_closed_set_literal_in_sql_is_a_member_of_an_enum()
    {
        var members = Api.GetTypes().Where(t => t.IsEnum && t.Namespace?.StartsWith("PracticeApi",
            StringComparison.Ordinal) == true).SelectMany(PracticeApi.Infrastructure.ClosedSets.Names).ToHashSet();
        const string column = @"\b\w*(?:Status|State|Kind|Outcome|Action|Role|Cadence|Visibility|Audience|Method|Charge|Modality|Via)";
        var compared = new System.Text.RegularExpressions.Regex(column + @"\s*(?:=|<>|!=)\s*N?'([^']*)'");
        var listed = new System.Text.RegularExpressions.Regex(column + @"\s+(?:NOT\s+)?IN\s*\(([^)]*)\)");
        var root = Infrastructure.RepoFiles.PathTo();
        var files = Directory.EnumerateFiles(Path.Combine(root, "src", "PracticeApi"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Concat(Directory.EnumerateFiles(Path.Combine(root, "db"), "*.sql", SearchOption.AllDirectories));
        var strays = new List<string>();
        var seen = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var literals = compared.Matches(text).Select(m => m.Groups[1].Value).Concat(listed.Matches(text)
                .SelectMany(m => System.Text.RegularExpressions.Regex.Matches(m.Groups[1].Value, "'([^']*)'")
                    .Select(v => v.Groups[1].Value)));
            foreach (var literal in literals)
            {
                seen++;
                if (!members.Contains(literal)) strays.Add($"{Path.GetRelativePath(root, file)}: '{literal}'");
            }
        }

        Assert.True(seen > 150, $"only {seen} closed-set literals found");
        Assert.True(strays.Count == 0, "SQL literals outside every closed set:\n" + string.Join("\n", strays.Distinct()));
    }

    [Fact]
    public void No_string_constant_repeats_a_closed_sets_member()
    {
        var enums = Api.GetTypes().Where(t => t.IsEnum && t.Namespace?.StartsWith("PracticeApi", StringComparison.Ordinal) == true)
            .ToList();
        var wire = enums.SelectMany(e => PracticeApi.Infrastructure.ClosedSets.Names(e).Select(n => (Name: n, Set: e.Name)))
            .GroupBy(w => w.Name).ToDictionary(g => g.Key, g => g.First().Set);
        string[] sources = ["Scopes", "EventTypes", "Policies"];
        var repeated = Api.GetTypes().Where(t => !sources.Contains(t.Name))
            .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic
                | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.DeclaredOnly)
                .Where(f => f.IsLiteral && f.FieldType == typeof(string) && f.GetRawConstantValue() is string value
                    && wire.ContainsKey(value))
                .Select(f => $"{t.Name}.{f.Name} = \"{f.GetRawConstantValue()}\" ({wire[(string)f.GetRawConstantValue()!]})"))
            .ToList();
        Assert.True(enums.Count > 40, $"only {enums.Count} enums found");
        Assert.True(repeated.Count == 0, "String constants that repeat a closed set:\n" + string.Join("\n", repeated));
    }

    [Fact]
    public void No_feature_depends_on_the_sqlite_machinery()
    {
        var result = Types.InAssembly(Api).That().ResideInNamespaceStartingWith("PracticeApi.Features")
            .ShouldNot().HaveDependencyOn("PracticeApi.Infrastructure.Data.Sqlite").GetResult();
        Assert.True(result.IsSuccessful, "features that reach into Data.Sqlite: " + string.Join(", ",
            result.FailingTypeNames ?? []));
    }

    [Fact]
    public void Features_reach_the_database_only_through_a_unit_of_work()
    {
        var result = Types.InAssembly(Api).That().ResideInNamespaceStartingWith("PracticeApi.Features")
            .ShouldNot().HaveDependencyOnAny("Dapper", "System.Data.Common.DbConnection",
            "System.Data.Common.DbTransaction",
                "System.Data.Common.DbCommand", "System.Data.IDbConnection", "Microsoft.Data.Sqlite", "Microsoft.Data.SqlClient")
            .GetResult();
        Assert.True(result.IsSuccessful, "features that run SQL outside a unit of work: " + string.Join(", ",
            result.FailingTypeNames ?? []));
    }

    /// <summary>
    /// Feature folders depend on each other in one direction only (issue 29.5): a cycle means neither can change, be
    /// understood or be tested without the other. The graph is read from the compiled types, so a cycle through a
    /// signature, a field or a method body all count.
    /// </summary>
    [Fact]
    public void Feature_folders_depend_on_each_other_without_cycles()
    {
        var features = Api.GetTypes().Select(t => t.Namespace ?? "").Where(n => n.StartsWith("PracticeApi.Features.",
            StringComparison.Ordinal))
            .Select(n => n.Split('.')[2]).Distinct().Order().ToList();
        var types = Types.InAssembly(Api); // read once, asked once per pair
        var uses = features.ToDictionary(f => f, f => features.Where(other => other != f && !types.That()
                .ResideInNamespaceStartingWith($"PracticeApi.Features.{f}.").Or()
                .ResideInNamespace($"PracticeApi.Features.{f}")
                .ShouldNot().HaveDependencyOn($"PracticeApi.Features.{other}").GetResult().IsSuccessful).ToHashSet());

        var cycles = features.SelectMany(a => uses[a].Where(b => string.CompareOrdinal(a, b) < 0 && Reaches(uses, b, a))
            .Select(b => $"{a} <-> {b}"))
            .ToList();
        Assert.True(cycles.Count == 0, "feature folders in a cycle: " + string.Join("; ", cycles));
    }

    // The stores other features still reach into (issue 29.5): each should become a read the owning feature offers, or
    // a care change it raises. The list only shrinks: a new reach fails, and so does an entry no longer true.
    /// <summary>
    /// A store (a type that takes the database) is its feature's own (issue 29.5). Another feature uses its reads (the
    /// static XReads) or an operation that runs in the caller's transaction (AssignExercise, TokenIssuer). The demo
    /// practice (Practices) seeds through every feature's operations, as a client would.
    /// </summary>
    [Fact]
    public void No_feature_reaches_another_features_store()
    {
        static string Feature(Type t) => t.Namespace is { } n && n.StartsWith("PracticeApi.Features.",
            StringComparison.Ordinal) ? n.Split('.')[2] : "";
        var stores = Api.GetTypes().Where(t => Feature(t) != "" && t.IsClass
            && t.GetConstructors(System.Reflection.BindingFlags.Public |
                System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
            .Any(c => c.GetParameters()
            .Any(p => p.ParameterType == typeof(PracticeApi.Infrastructure.Data.Db)))).ToList();
        Assert.Contains(stores, t => t.Name == "RegisterClient");
        var types = Types.InAssembly(Api); // read once, asked once per store
        var reaches = stores.SelectMany(store => (types.That().ResideInNamespaceStartingWith("PracticeApi.Features.")
                    .And().DoNotResideInNamespaceStartingWith($"PracticeApi.Features.{Feature(store)}")
                    .And().DoNotResideInNamespaceStartingWith("PracticeApi.Features.Practices")
                    .ShouldNot().HaveDependencyOn(store.FullName!).GetResult().FailingTypes ?? [])
                .Select(user => $"{Feature(store)}.{store.Name} <- {Feature(user)}"))
            .Distinct().Order().ToList();
        Assert.True(reaches.Count == 0, "a feature reaches another's store: " + string.Join("; ", reaches));
    }

    /// <summary>The care rules every feature checks (in care, writable, open couple, safety hold, caseload) depend on
    /// no feature.</summary>
    [Fact]
    public void The_care_rules_depend_on_no_feature()
    {
        var others = Api.GetTypes().Select(t => t.Namespace ?? "").Where(n => n.StartsWith("PracticeApi.Features.",
            StringComparison.Ordinal))
            .Select(n => string.Join('.', n.Split('.').Take(3))).Where(n => n != "PracticeApi.Features.Care")
            .Distinct().ToArray();
        var result = Types.InAssembly(Api).That().ResideInNamespace("PracticeApi.Features.Care").ShouldNot()
            .HaveDependencyOnAny(others).GetResult();
        Assert.True(result.IsSuccessful, "care rules that depend on a feature: " + string.Join(", ",
            result.FailingTypeNames ?? []));
        Assert.Contains(typeof(PracticeApi.Features.Care.CareRules), Api.GetTypes());
    }

    private static bool Reaches(Dictionary<string, HashSet<string>> uses, string from, string to)
    {
        var seen = new HashSet<string> { from };
        var next = new Queue<string>([from]);
        while (next.TryDequeue(out var at))
        {
            if (at == to) return true;
            foreach (var step in uses[at].Where(seen.Add)) next.Enqueue(step);
        }

        return false;
    }

    [Fact]
    public void The_sqlite_machinery_is_internal_but_for_its_exception()
    {
        var visible = Types.InAssembly(Api).That().ResideInNamespace("PracticeApi.Infrastructure.Data.Sqlite").And()
            .ArePublic().GetTypes()
            .Where(t => !t.IsNested).Select(t => t.Name).Order().ToList();
        Assert.Equal(["UnknownStatementException"], visible);
    }

    /// <summary>No source file grows past 300 lines (issue 29), but for declarative data: the built-in catalogue and
    /// programs.</summary>
    [Fact]
    public void No_source_file_holds_more_than_300_lines_but_declarative_data()
    {
        string[] data = ["BuiltInCatalogue.cs", "BuiltInPrograms.cs"];
        var tooLong = Directory.GetFiles(Infrastructure.RepoFiles.PathTo("src", "PracticeApi"), "*.cs",
            SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}",
            StringComparison.Ordinal) && !data.Contains(Path.GetFileName(f)))
            .Select(f => (Name: Path.GetFileName(f), Lines: File.ReadAllLines(f).Length))
            .Where(f => f.Lines > 300).ToList();
        Assert.True(tooLong.Count == 0, "files over 300 lines: " + string.Join(", ",
            tooLong.Select(f => $"{f.Name} ({f.Lines})")));
    }

    /// <summary>
    /// Operations, not god stores (issue 29.1): every class of a feature that takes the database (a store, a runner, an
    /// operation, a query) is declared in one file, not spread over partial files, of at most 250 lines.
    /// </summary>
    [Fact]
    public void Every_store_runner_and_operation_is_one_file_of_at_most_250_lines()
    {
        var sources = Directory.GetFiles(Infrastructure.RepoFiles.PathTo("src", "PracticeApi", "Features"), "*.cs",
            SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllText);
        var stores = Api.GetTypes().Where(t => t.Namespace?.StartsWith("PracticeApi.Features.",
            StringComparison.Ordinal) == true
            && t is { IsClass: true, IsNested: false } && t.GetConstructors(System.Reflection.BindingFlags.Public |
                System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)
            .Any(c => c.GetParameters()
            .Any(p => p.ParameterType == typeof(PracticeApi.Infrastructure.Data.Db)))).ToList();
        Assert.True(stores.Count > 40,
            $"only {stores.Count} classes take the database: is the sweep still finding them?");
        var wrong = new List<string>();
        foreach (var store in stores)
        {
            var declaration = new System.Text.RegularExpressions.Regex($@"\bclass {store.Name}\b");
            var files = sources.Where(s => declaration.IsMatch(s.Value)).ToList();
            var lines = files.Sum(f => f.Value.Split('\n').Length - 1);
            if (files.Count != 1 || lines > 250) wrong.Add($"{store.Name} ({files.Count} files, {lines} lines)");
        }

        Assert.True(wrong.Count == 0, "stores, runners or operations split over files or over 250 lines: "
            + string.Join(", ", wrong));
    }

    /// <summary>
    /// Lines stay under 120 characters (.editorconfig; issue 29.6) but for what cannot be wrapped without changing what
    /// it says: a message or SQL text in one string, a long type name. Those stay under 3% of the source, where the
    /// anchors are.
    /// </summary>
    [Fact]
    public void Lines_over_120_characters_stay_under_three_percent_of_the_source()
    {
        var lines = Directory.GetFiles(Infrastructure.RepoFiles.PathTo("src", "PracticeApi"), "*.cs",
            SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}",
            StringComparison.Ordinal))
            .SelectMany(File.ReadAllLines).ToList();
        var over = lines.Count(l => l.Length > 120);
        Assert.True(over * 100.0 / lines.Count < 3, $"{over} of {lines.Count} source lines are over 120 characters");
    }

    [Fact]
    public void Every_file_of_the_data_layer_holds_at_most_250_lines_and_the_sqlite_folder_one_type_each()
    {
        var folder = Infrastructure.RepoFiles.PathTo("src", "PracticeApi", "Infrastructure", "Data");
        foreach (var file in Directory.GetFiles(folder, "*.cs", SearchOption.AllDirectories))
        {
            var lines = File.ReadAllLines(file);
            Assert.True(lines.Length <= 250, $"{Path.GetFileName(file)} has {lines.Length} lines");
            if (Path.GetDirectoryName(file)!.EndsWith("Sqlite", StringComparison.Ordinal))
            {
                // A partial re-opening (PracticeSqliteConnection's parts, each with one nested command) is the file's
                // container, not a type of its own.
                var declarations = lines.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l,
                    @"^\s*(public|internal|private)\s+(sealed\s+|static\s+|abstract\s+)*(partial\s+)?(class|record|struct|interface)\s")).ToList();
                var own = declarations.Count(l => !l.Contains(" partial ", StringComparison.Ordinal));
                Assert.True(own <= 1 && declarations.Count >= 1,
                    $"{Path.GetFileName(file)} declares {own} types of its own");
            }
        }
    }
}
