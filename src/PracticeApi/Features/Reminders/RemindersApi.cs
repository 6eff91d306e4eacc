namespace PracticeApi.Features.Reminders;

/// <summary>
/// Session reminders: each client's setting (staff who treat them, or the client through the portal), and the
/// <c>session.reminder_due</c> events the watch publishes once per participant and start time.
/// </summary>
public static class RemindersApi
{
    public static IServiceCollection AddReminders(this IServiceCollection services) =>
        services.AddSingleton<SessionsComingUp>().AddSingleton<ReminderSettings>().AddSingleton<SessionReminderWatch>()
            .AddHostedService(s => s.GetRequiredService<SessionReminderWatch>());

    public static IEndpointRouteBuilder MapReminders(this IEndpointRouteBuilder routes)
    {
        var staff = routes.MapGroup("/api/v1/clients/{id:guid}/reminders").WithTags("Clients")
            .RequireAuthorization(Policies.Staff);
        staff.MapGet("/", async (Guid id, Caller caller, ReminderSettings settings,
            CancellationToken ct) => (await settings.GetAsync(caller, id, ct)).ToOk())
            .WithName("GetReminderSettings")
            .WithSummary("Whether and how long before a session a client is reminded of it.").ProducesProblems(404);
        staff.MapPut("/", async (Guid id, ReminderSettingsRequest request, Caller caller, ReminderSettings settings,
            CancellationToken ct) =>
                (await settings.SetAsync(caller, id, request, ct)).ToOk())
            .WithName("SetReminderSettings").WithExample(RemindersExamples.SetReminderSettings)
            .WithSummary("Turn a client's session reminders on (1 to 168 hours before) or off.")
            .Validate<ReminderSettingsRequest>().ProducesProblems(404, 409);

        var portal = routes.MapGroup("/api/v1/me/reminders").WithTags("Client portal")
            .RequireAuthorization(Policies.Portal);
        portal.MapGet("/", async (Caller caller, ReminderSettings settings,
            CancellationToken ct) => (await settings.GetAsync(caller, caller.ClientId!.Value, ct)).ToOk())
            .WithName("GetMyReminderSettings").WithExample(RemindersExamples.GetMyReminderSettings)
            .WithSummary("Whether and how long before a session I am reminded of it.");
        portal.MapPut("/", async (ReminderSettingsRequest request, Caller caller, ReminderSettings settings,
            CancellationToken ct) =>
                (await settings.SetAsync(caller, caller.ClientId!.Value, request, ct)).ToOk())
            .WithName("SetMyReminderSettings").WithExample(RemindersExamples.SetMyReminderSettings)
            .WithSummary("Turn my session reminders on (1 to 168 hours before) or off.")
            .Validate<ReminderSettingsRequest>().ProducesProblems(409);
        return routes;
    }
}
