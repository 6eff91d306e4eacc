using PracticeApi;
using PracticeApi.Features.Assignments;
using PracticeApi.Features.AuditEvents;
using PracticeApi.Features.Calendar;
using PracticeApi.Features.Consents;
using PracticeApi.Features.Measures;
using PracticeApi.Features.Reminders;
using PracticeApi.Features.Clients;
using PracticeApi.Features.Couples;
using PracticeApi.Features.Exercises;
using PracticeApi.Features.Fhir;
using PracticeApi.Features.Integration;
using PracticeApi.Features.Invoicing;
using PracticeApi.Features.Health;
using PracticeApi.Features.Me;
using PracticeApi.Features.Practices;
using PracticeApi.Features.Records;
using PracticeApi.Features.Programs;
using PracticeApi.Features.Recovery;
using PracticeApi.Features.Progress;
using PracticeApi.Features.RepairWork;
using PracticeApi.Features.Smart;
using PracticeApi.Features.Sessions;
using PracticeApi.Features.SupportNetwork;
using PracticeApi.Features.Therapists;
using PracticeApi.Features.Tokens;

// Settings are read once at start. Reloading them on change would watch the content root and everything under it,
// the database folder (data/) included, so every write to the database or its WAL would wake a file-watching thread.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. args,
    "--hostBuilder:reloadConfigOnChange=false"] });

builder.AddCommandLineVerbs(args);
builder.AddDatabase();
builder.AddHttpConventions();
builder.AddStoredSecretProtection();
builder.Services.AddSecurity();
builder.Services.AddAudit();
builder.Services.AddApiDocumentation();
builder.Services.AddSchemaConventions();
builder.Services.AddValidators(typeof(Program).Assembly);
builder.Services.AddFeatures();

var app = builder.Build();

if (await app.TryRunCommandAsync(args)) return;
await app.PrepareDatabaseAsync();

app.UseHttpConventions();
app.UseRouting();
app.UseAcceptNegotiation();
app.UseRequestBodyLimit();
app.UseAuthentication();
app.UseMiddleware<DeniedAccessAudit>();
app.UseRateLimiter();
app.UseAuthorization();
app.UseMiddleware<IdempotencyMiddleware>();

app.MapApiDocumentation();
app.MapHealth();
app.MapMe();
app.MapTherapists();
app.MapTokens();
app.MapAuditEvents();
app.MapClients();
app.MapClientExport();
app.MapErasure();
app.MapCouples();
app.MapSessions();
app.MapExerciseTemplates();
app.MapAssignments();
app.MapPrograms();
app.MapPortal();
app.MapRepairWork();
app.MapRepairGuidance();
app.MapSupportNetwork();
app.MapRecoveryLog();
app.MapProgress();
app.MapIntegration();
app.MapFhir();
app.MapSmartBackendServices();
app.MapInvoicing();
app.MapCalendar();
app.MapReminders();
app.MapConsents();
app.MapMeasures();

app.Run();

public partial class Program;
