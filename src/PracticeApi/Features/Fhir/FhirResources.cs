namespace PracticeApi.Features.Fhir;

/// <summary>
/// Every resource type the FHIR API serves, each its own search (one class per type): the routes and the bulk export
/// reach a type through here.
/// </summary>
internal sealed record FhirResources(FhirPatients Patients, FhirAppointments Appointments,
    FhirQuestionnaires Questionnaires,
    FhirResponses Responses, FhirTasks Tasks, FhirCouples Couples, FhirInvoices Invoices, FhirConsents Consents,
    FhirObservations Observations)
{
    public static IServiceCollection AddTo(IServiceCollection services) => services
        .AddSingleton<FhirPages>().AddSingleton<FhirPatients>().AddSingleton<FhirAppointments>()
        .AddSingleton<FhirQuestionnaires>().AddSingleton<FhirResponses>().AddSingleton<FhirTasks>()
        .AddSingleton<FhirCouples>().AddSingleton<FhirInvoices>().AddSingleton<FhirConsents>()
        .AddSingleton<FhirObservations>().AddSingleton<FhirResources>();
}
