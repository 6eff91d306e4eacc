using PracticeApi.Features.Assignments;
using PracticeApi.Features.Clients;
using PracticeApi.Features.Couples;
using PracticeApi.Features.Exercises;
using PracticeApi.Features.Integration;
using PracticeApi.Features.Practices;
using PracticeApi.Features.Progress;
using PracticeApi.Features.RepairWork;
using PracticeApi.Features.Sessions;
using PracticeApi.Features.SupportNetwork;
using PracticeApi.Features.Therapists;
using PracticeApi.Features.Tokens;

namespace PracticeApi;

internal static class FeatureRegistration
{
    /// <summary>Stores hold only the connection factory and the clock: one instance each.</summary>
    public static IServiceCollection AddFeatureStores(this IServiceCollection services)
    {
        services.AddSingleton<PracticeBootstrap>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<TherapistStore>();
        services.AddSingleton<TokenStore>();
        services.AddSingleton<TokenIssuer>();
        services.AddClients();
        services.AddSingleton<Features.Records.ClientExportStore>();
        services.AddSingleton<Features.Records.ErasureStore>();
        services.AddCouples();
        services.AddSessions();
        services.AddSingleton<TemplateStore>();
        services.AddSingleton<AssignmentStore>();
        services.AddSingleton<AssignExercise>();
        services.AddSingleton<Features.Me.MyDueWork>();
        services.AddSingleton<OccurrenceNotifier>();
        services.AddHostedService(sp => sp.GetRequiredService<OccurrenceNotifier>());
        services.AddSingleton<CareChanges>();
        services.AddSingleton<Features.Programs.ProgramPlans>();
        services.AddSingleton<Features.Programs.ProgramRunner>();
        services.AddHostedService(sp => sp.GetRequiredService<Features.Programs.ProgramRunner>());
        services.AddSingleton<ICareChangeHandler>(sp => sp.GetRequiredService<Features.Programs.ProgramRunner>());
        services.AddSingleton<Features.Programs.ProgramStore>();
        services.AddSingleton<ResponseStore>();
        services.AddSingleton<TrustContractStore>();
        services.AddSingleton<TriggerStore>();
        services.AddSingleton<ICareChangeHandler, AnswersIntoRepair>();
        services.AddSingleton<RepairAssessmentStore>();
        services.AddSingleton<SupportNetworkStore>();
        services.AddSingleton<Features.Recovery.RecoveryLogStore>();
        services.AddSingleton<RepairSignals>();
        services.AddSingleton<ProgressStore>();
        services.AddSingleton<Features.Practices.DemoPractice>();
        services.AddSingleton<Features.Practices.DemoIntegrations>();
        services.AddSingleton<Features.Practices.DemoBilling>();
        services.AddSingleton<Features.Practices.DemoTime>();
        services.AddSingleton<Features.Practices.DemoMeasures>();
        services.AddSingleton<Features.Practices.DemoSessions>();
        services.AddSingleton<Features.Practices.DemoCouples>();
        return services;
    }

    public static IServiceCollection AddAudit(this IServiceCollection services) => services.AddSingleton<AuditLog>();
}
