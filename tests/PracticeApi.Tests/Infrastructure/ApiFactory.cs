using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PracticeApi.Features.Practices;
using PracticeApi.Infrastructure;

namespace PracticeApi.Tests.Infrastructure;

/// <summary>The real API in memory, on a fresh database built by the real migrations.</summary>
public abstract class ApiFactory : WebApplicationFactory<Program>
{
    public TestClock Clock { get; } = new();

    /// <summary>
    /// The practice's date by the test clock, as the API's own calendar has it: an hour or two each night it is a day
    /// ahead of the UTC date, so a test that means "today" for the API uses this.
    /// </summary>
    public DateOnly Today => Services.GetRequiredService<PracticeCalendar>().Today;

    protected abstract string Provider { get; }

    protected abstract string ConnectionString { get; }

    /// <summary>Overrides for one factory (for example a low rate limit).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Skips the calling test when this database is not available on the machine.</summary>
    public virtual void EnsureAvailable()
    {
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = Provider,
            ["ConnectionStrings:Practice"] = ConnectionString,
            ["Database:MigrateOnStartup"] = "true",
            ["RateLimiting:PermitLimit"] = "100000",
            ["Logging:LogLevel:Default"] = "Warning",
            // Every command must be one of the statements the static SQL Server check binds (SqlCatalogue).
            ["Database:CheckStatements"] = "true",
            // Occurrence events follow the test's clock only when a test runs the notifier itself.
            ["Reminders:Enabled"] = "false",
            // Overdue invoices are announced when a test runs the watch itself.
            ["Invoicing:OverdueWatch:Enabled"] = "false",
            ["Reminders:Sessions:Enabled"] = "false",
            // Programs advance on events in tests; dates move only when a test runs the runner itself.
            ["Programs:Enabled"] = "false",
        };
        foreach (var (key, value) in Settings) settings[key] = value;
        // UseSetting, not ConfigureAppConfiguration: Program reads these before Build().
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    /// <summary>A new practice with its first admin; every test makes its own.</summary>
    public async Task<PracticeContext> NewPracticeAsync()
    {
        EnsureAvailable();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var created = await Services.GetRequiredService<PracticeBootstrap>()
            .CreateAsync($"Practice {suffix}", $"Admin {suffix}", $"admin-{suffix}@example.test",
            CancellationToken.None);
        return new PracticeContext(this, created.PracticeId, created.TherapistId, created.Token);
    }

    public HttpClient ClientWith(string? token)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", token);
        return client;
    }
}

public class SqliteApi : ApiFactory
{
    private readonly string _file;
    private readonly bool _ownsFile;

    public SqliteApi() : this(null)
    {
    }

    /// <param name="file">A database file to share with another factory (a restart); deleted only when this factory
    /// made it.</param>
    protected SqliteApi(string? file)
    {
        _ownsFile = file is null;
        _file = file ?? Path.Combine(Path.GetTempPath(), $"practiceapi-test-{Guid.NewGuid():N}.db");
    }

    public string File => _file;

    protected override string Provider => "Sqlite";

    protected override string ConnectionString => $"Data Source={_file}";

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_ownsFile) return;
        SharedDatabaseFile.DeleteWithCompanions(_file);
    }
}

/// <summary>
/// The same suite on SQL Server when PRACTICEAPI_TEST_SQLSERVER holds a connection string (a fresh database is
/// created per fixture and dropped after); reported as skipped otherwise.
/// </summary>
public class SqlServerApi : ApiFactory
{
    public const string Variable = "PRACTICEAPI_TEST_SQLSERVER";

    private static readonly string? MasterConnection = Environment.GetEnvironmentVariable(Variable);
    private readonly string _database = $"PracticeApiTest_{Guid.NewGuid():N}";
    private bool _created;

    protected override string Provider => "SqlServer";

    protected override string ConnectionString =>
        MasterConnection is null
            ? "" : new SqlConnectionStringBuilder(MasterConnection) { InitialCatalog = _database }.ConnectionString;

    public override void EnsureAvailable()
    {
        Skip.If(MasterConnection is null, $"SQL Server tests run only when {Variable} holds a connection string.");
        if (_created) return;
        using var connection = new SqlConnection(MasterConnection);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE [{_database}]";
        command.ExecuteNonQuery();
        _created = true;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!_created) return;
        SqlConnection.ClearAllPools();
        using var connection = new SqlConnection(MasterConnection);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"ALTER DATABASE [{_database}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_database}]";
        command.ExecuteNonQuery();
    }
}

/// <summary>Webhooks may go to this machine's loopback receiver; the dispatcher polls quickly.</summary>
public class WebhookApi : SqliteApi
{
    public WebhookApi() : this(null, dispatcher: true)
    {
    }

    protected WebhookApi(string? file, bool dispatcher) : base(file) => Dispatcher = dispatcher;

    private bool Dispatcher { get; }

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Webhooks:AllowPrivateTargets"] = "true",
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:PollMilliseconds"] = "50",
        ["Webhooks:DispatcherEnabled"] = Dispatcher ? "true" : "false",
    };
}

/// <summary>A webhook-enabled API on a given database file, to stop and start it again.</summary>
public sealed class RestartableWebhookApi(string file, bool dispatcher) : WebhookApi(file, dispatcher);

/// <summary>The API on a given SQLite file (a copy of a prepared database); the test deletes the file.</summary>
public sealed class SqliteFileApi(string file) : SqliteApi(file);
