using Microsoft.AspNetCore.Http.HttpResults;
using PracticeApi.Features.Clients;

namespace PracticeApi.Features.Sessions;

public static class SessionsApi
{
    public static IServiceCollection AddSessions(this IServiceCollection services) => services
        .AddSingleton<SessionBooking>().AddSingleton<SessionChanges>().AddSingleton<NoteDeadline>()
        .AddSingleton<ScheduleSession>().AddSingleton<RescheduleSession>().AddSingleton<CompleteSession>()
        .AddSingleton<CancelSession>().AddSingleton<MarkNoShow>().AddSingleton<SessionNotes>()
        .AddSingleton<BookSeries>().AddSingleton<ChangeSeries>().AddSingleton<SessionQueries>();

    private static readonly string Read = Policies.StaffOrScope(Scopes.SessionsRead);
    private static readonly string Write = Policies.StaffOrScope(Scopes.SessionsWrite);

    public static IEndpointRouteBuilder MapSessions(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/sessions").WithTags("Sessions");

        group.MapPost("/", Create).WithName("CreateSession").WithExample(SessionsExamples.CreateSession)
            .WithSummary("Schedule a session with a client or a couple; a therapist cannot be double-booked.")
            .WithDescription("A couple session for a couple on safety hold is a 409 safety-hold unless a therapist or an admin gives " +
                             "safetyOverrideReason, which is audited as an override (an integration cannot override).")
            .RequireAuthorization(Write).Validate<CreateSessionRequest>().ProducesProblems(404, 409);
        group.MapGet("/", List).WithName("ListSessions")
            .WithSummary("Sessions in start-time order; filter by therapist, client (also as a partner), couple, time and status.")
            .RequireAuthorization(Read).Validate<SessionListQuery>();
        group.MapPut("/by-identifier", Upsert).WithName("UpsertSessionByIdentifier")
            .WithExample(SessionsExamples.UpsertSessionByIdentifier)
            .WithSummary("Schedule (201) or reschedule (200) the session holding an external identifier: never a duplicate appointment.")
            .RequireAuthorization(Write).Validate<IdentifierQuery>().Validate<CreateSessionRequest>()
            .ProducesProblems(404, 409, 412);
        group.MapGet("/{id:guid}", Get).WithName("GetSession")
            .WithSummary("One session (the note is shown to therapists and admins only).")
            .RequireAuthorization(Read).ProducesProblems(404);
        group.MapPut("/{id:guid}", Update).WithName("UpdateSession").WithExample(SessionsExamples.UpdateSession)
            .WithSummary("Reschedule or change a scheduled session (If-Match).")
            .RequireAuthorization(Write).Validate<UpdateSessionRequest>().ProducesProblems(404, 409, 412);
        group.MapPost("/{id:guid}/complete", Complete).WithName("CompleteSession")
            .WithExample(SessionsExamples.CompleteSession)
            .WithSummary("Complete a session with attendance per participant and a SOAP, DAP or free note.")
            .RequireAuthorization(Policies.Staff).Validate<CompleteSessionRequest>().ProducesProblems(404, 409);
        group.MapPost("/{id:guid}/cancel", Cancel).WithName("CancelSession").WithExample(SessionsExamples.CancelSession)
            .WithSummary(
                "Cancel a session; a client's cancellation within 24 hours of the start is a late cancellation.")
            .RequireAuthorization(Write).Validate<CancelSessionRequest>().ProducesProblems(404, 409);
        group.MapPost("/{id:guid}/note/sign", SignNote).WithName("SignSessionNote")
            .WithExample(SessionsExamples.SignSessionNote)
            .WithSummary("Sign the note of a completed session (the treating therapist only; If-Match).")
            .WithDescription("A signed note never changes, and nobody (admins included) can unsign it: corrections and additions are " +
                             "addenda. Signing is audited and bumps the session's version and ETag.")
            .RequireAuthorization(Policies.Staff).ProducesProblems(403, 404, 409, 412);
        group.MapPost("/{id:guid}/note/addenda", AddAddendum).WithName("AddSessionNoteAddendum")
            .WithExample(SessionsExamples.AddSessionNoteAddendum)
            .WithSummary("Add a correction or addition to a completed session's note; addenda are listed with the note and never change.")
            .RequireAuthorization(Policies.Staff).Validate<AddendumRequest>().ProducesProblems(404, 409);
        var series = routes.MapGroup("/api/v1/session-series").WithTags("Sessions");
        series.MapPost("/", CreateSeries).WithName("CreateSessionSeries")
            .WithExample(SessionsExamples.CreateSessionSeries)
            .WithSummary(
                "Book a series of sessions every n weeks, for a count or until a date, at the same local time.")
            .WithDescription("Every occurrence is a real session, checked like a single one for double booking of the therapist and of " +
                             "each client. Times follow the practice's time zone (Practice:TimeZone): a 09:00 series stays at 09:00 across " +
                             "daylight-saving changes. When any occurrence conflicts, nothing is booked and the 409 lists the conflicts; with " +
                             "skipConflicts the rest is booked and the conflicts are listed as skipped. Each session fires session.scheduled. " +
                             "A couple on safety hold needs safetyOverrideReason from staff, as for a single couple session.")
            .RequireAuthorization(Write).Validate<CreateSeriesRequest>().ProducesProblems(404, 409);
        series.MapGet("/{id:guid}", GetSeries).WithName("GetSessionSeries")
            .WithSummary("A series with its sessions in time order.")
            .RequireAuthorization(Read).ProducesProblems(404);
        series.MapPost("/{id:guid}/cancel", CancelFollowing).WithName("CancelSessionSeriesFollowing")
            .WithExample(SessionsExamples.CancelSessionSeriesFollowing)
            .WithSummary("Cancel one session of the series and every later scheduled one (this and following).")
            .RequireAuthorization(Write).Validate<CancelSeriesRequest>().ProducesProblems(404, 409);
        series.MapPost("/{id:guid}/reschedule", RescheduleFollowing).WithName("RescheduleSessionSeriesFollowing")
            .WithExample(SessionsExamples.RescheduleSessionSeriesFollowing)
            .WithSummary(
                "Move one session of the series and every later scheduled one to a new time (this and following).")
            .WithDescription("The given session moves to startsAt; every later scheduled one moves by the same number of days to the same " +
                             "new local time. Nothing moves when any of them would conflict (409 series-conflicts). A couple's series " +
                             "on safety hold needs safetyOverrideReason from staff, as booking it did. A single occurrence is changed " +
                             "or cancelled through /api/v1/sessions/{id}.")
            .RequireAuthorization(Write).Validate<RescheduleSeriesRequest>().ProducesProblems(404, 409);
        routes.MapGet("/api/v1/notes/unsigned", Unsigned).WithTags("Sessions").WithName("ListUnsignedNotes")
            .WithSummary("A therapist's to-do: completed sessions whose note has waited longer than Notes:SignWithinDays for a signature.")
            .WithDescription(
                "Therapists see their own; an admin may pass therapistId to see a colleague's. Oldest session first.")
            .RequireAuthorization(Policies.Staff).Validate<UnsignedNoteQuery>().ProducesProblems(403);
        group.MapPost("/{id:guid}/no-show", NoShow).WithName("MarkSessionNoShow")
            .WithExample(SessionsExamples.MarkSessionNoShow).WithSummary("Record that the client did not come.")
            .RequireAuthorization(Write).ProducesProblems(404, 409);
        return routes;
    }

    private static async Task<Results<Created<SessionResponse>, ProblemHttpResult>> Create(
        CreateSessionRequest request, Caller caller, ScheduleSession schedule, HttpContext http, CancellationToken ct) =>
        (await schedule.CreateAsync(caller, request, ct)).ToCreated(http, x => $"/api/v1/sessions/{x.Id}",
            x => x.Version);

    private static async Task<Results<Created<SessionResponse>, Ok<SessionResponse>, ProblemHttpResult>> Upsert(
        [AsParameters] IdentifierQuery identifier, CreateSessionRequest request, IfMatch ifMatch, Caller caller, ScheduleSession schedule,
        HttpContext http, CancellationToken ct) =>
        (await schedule.UpsertAsync(caller, identifier.ToIdentifier(), request, ifMatch.ExpectedVersion, ct))
        .ToUpserted(http, x => $"/api/v1/sessions/{x.Id}", x => x.Version);

    private static async Task<Ok<Page<SessionResponse>>> List([AsParameters] SessionListQuery query, Caller caller,
        SessionQueries sessions, CancellationToken ct) =>
        TypedResults.Ok(await sessions.ListAsync(caller, query, ct));

    private static async Task<Results<Created<SeriesResponse>, ProblemHttpResult>> CreateSeries(
        CreateSeriesRequest request, Caller caller, BookSeries book, CancellationToken ct) =>
        (await book.CreateAsync(caller, request, ct)).ToCreated(x => $"/api/v1/session-series/{x.Id}");

    private static async Task<Results<Ok<SeriesResponse>, ProblemHttpResult>> GetSeries(Guid id, Caller caller,
        SessionQueries sessions, CancellationToken ct) =>
        await sessions.GetSeriesAsync(caller, id,
            ct) is { } series ? TypedResults.Ok(series) : Problems.NotFound("session series");

    private static async Task<Results<Ok<SeriesResponse>, ProblemHttpResult>> CancelFollowing(Guid id,
        CancelSeriesRequest request, Caller caller, ChangeSeries change, CancellationToken ct) =>
        (await change.CancelFollowingAsync(caller, id, request, ct)).ToOk();

    private static async Task<Results<Ok<SeriesResponse>, ProblemHttpResult>> RescheduleFollowing(Guid id,
        RescheduleSeriesRequest request, Caller caller, ChangeSeries change, CancellationToken ct) =>
        (await change.RescheduleFollowingAsync(caller, id, request, ct)).ToOk();

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> SignNote(Guid id, IfMatch ifMatch,
        Caller caller, SessionNotes notes, HttpContext http, CancellationToken ct) =>
        (await notes.SignAsync(caller, id, ifMatch.ExpectedVersion, ct)).ToOk(http, x => x.Version);

    private static async Task<Results<Created<NoteAddendum>, ProblemHttpResult>> AddAddendum(Guid id,
        AddendumRequest request, Caller caller, SessionNotes notes, CancellationToken ct) =>
        (await notes.AddAddendumAsync(caller, id, request, ct)).ToCreated(_ => $"/api/v1/sessions/{id}");

    private static async Task<Results<Ok<Page<UnsignedNote>>, ProblemHttpResult>> Unsigned(
        [AsParameters] UnsignedNoteQuery query, Caller caller, SessionNotes notes, CancellationToken ct)
    {
        if (query.TherapistId is { } other && other != caller.TherapistId && !caller.IsAdmin)
        {
            return Failure.Forbidden("Therapists see their own unsigned notes; an admin can see a colleague's.")
                .ToProblem();
        }

        return TypedResults.Ok(await notes.UnsignedAsync(caller, query,
            query.TherapistId ?? caller.TherapistId!.Value, ct));
    }

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Get(Guid id, Caller caller,
        SessionQueries sessions, HttpContext http, CancellationToken ct)
    {
        var session = await sessions.GetAsync(caller, id, ct);
        if (session is null) return Problems.NotFound("session");
        ETags.Set(http, session.Version);
        return TypedResults.Ok(session);
    }

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Update(
        Guid id, UpdateSessionRequest request, IfMatch ifMatch, Caller caller, RescheduleSession reschedule,
        HttpContext http, CancellationToken ct) =>
        (await reschedule.UpdateAsync(caller, id, request, ifMatch.ExpectedVersion, ct)).ToOk(http, x => x.Version);

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Complete(
        Guid id, CompleteSessionRequest request, Caller caller, CompleteSession complete, HttpContext http,
        CancellationToken ct) =>
        (await complete.CompleteAsync(caller, id, request, ct)).ToOk(http, x => x.Version);

    private static async Task<Results<Ok<SessionResponse>, ProblemHttpResult>> Cancel(
        Guid id, CancelSessionRequest request, Caller caller, CancelSession cancel, HttpContext http,
        CancellationToken ct) =>
        (await cancel.CancelAsync(caller, id, request, ct)).ToOk(http, x => x.Version);

    // An action without a body answers 204, like discharge; the new version travels as the ETag.
    private static async Task<Results<NoContent, ProblemHttpResult>> NoShow(
        Guid id, Caller caller, MarkNoShow noShow, HttpContext http, CancellationToken ct)
    {
        var outcome = await noShow.NoShowAsync(caller, id, ct);
        if (!outcome.Succeeded) return outcome.Failure!.ToProblem();
        ETags.Set(http, outcome.Value!.Version);
        return TypedResults.NoContent();
    }

}
