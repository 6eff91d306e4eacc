using PracticeApi.Features.AuditEvents;
using PracticeApi.Features.Assignments;
using PracticeApi.Features.Calendar;
using PracticeApi.Features.Clients;
using PracticeApi.Features.Consents;
using PracticeApi.Features.Couples;
using PracticeApi.Features.Exercises;
using PracticeApi.Features.Fhir;
using PracticeApi.Features.Integration;
using PracticeApi.Features.Invoicing;
using PracticeApi.Features.Me;
using PracticeApi.Features.Measures;
using PracticeApi.Features.Practices;
using PracticeApi.Features.Programs;
using PracticeApi.Features.Progress;
using PracticeApi.Features.Records;
using PracticeApi.Features.Recovery;
using PracticeApi.Features.Reminders;
using PracticeApi.Features.RepairWork;
using PracticeApi.Features.Sessions;
using PracticeApi.Features.Smart;
using PracticeApi.Features.SupportNetwork;
using PracticeApi.Features.Therapists;
using PracticeApi.Features.Tokens;

namespace PracticeApi;

internal static class FeatureRegistration
{
    /// <summary>
    /// Every feature registers its own operations, stores and background work (its XApi's AddX); this is the one list
    /// of them. Each holds only the database, the clock and its policies: one instance each.
    /// </summary>
    public static IServiceCollection AddFeatures(this IServiceCollection services)
    {
        services.AddSingleton<CareChanges>();
        return services.AddPractices().AddTherapists().AddAuditEvents().AddTokens().AddClients().AddClientExport()
            .AddErasure().AddCouples()
            .AddSessions().AddExercises().AddAssignments().AddMe().AddPrograms().AddRepairWork().AddRepairGuidance()
            .AddSupportNetwork().AddRecoveryLog().AddProgress().AddIntegration().AddFhir().AddSmartBackendServices()
            .AddInvoicing().AddCalendar().AddReminders().AddConsents().AddMeasures();
    }

    public static IServiceCollection AddAudit(this IServiceCollection services) => services.AddSingleton<AuditLog>();
}
