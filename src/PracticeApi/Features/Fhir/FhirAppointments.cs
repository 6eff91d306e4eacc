using PracticeApi.Features.Clients;
using PracticeApi.Features.Sessions;

namespace PracticeApi.Features.Fhir;

/// <summary>Sessions as FHIR Appointments, by patient, identifier, _lastUpdated and id.</summary>
internal sealed class FhirAppointments(Db db, AuditLog audit)
{
    private static readonly string AppointmentsMatch = $"""
        FROM Sessions s
        WHERE s.PracticeId = @PracticeId AND (@Id IS NULL OR s.Id = @Id)
          AND (@AnyPatients = 0 OR s.Id IN (SELECT sc.SessionId FROM SessionClients sc
              WHERE sc.PracticeId = @PracticeId AND sc.ClientId IN @Patients))
          AND (@AnyIds = 0 OR s.Id IN @Ids) AND (@AnyOwners = 0 OR s.Id IN @Owners)
          AND (@From IS NULL OR s.UpdatedAt >= @From) AND (@Before IS NULL OR s.UpdatedAt < @Before)
          AND {Caseload.Session("s")}
        """;

    private static readonly string AppointmentsSql = $"""
        SELECT s.Id, s.TherapistId, s.ClientId, s.CoupleId, s.Kind, s.Modality, s.StartsAt, s.EndsAt,
            s.DurationMinutes, s.Status, s.CancelReason,
               s.CancelledByClient, s.CancelledAt, s.CompletedAt, s.NoteFormat, s.NoteSections, s.Version,
                   s.CreatedAt, s.UpdatedAt
        {AppointmentsMatch} AND s.Id > @After
        ORDER BY s.Id {SqlDialect.Limit}
        """;

    private static readonly string AppointmentsCountSql = $"SELECT COUNT(*) {AppointmentsMatch}";

    public async Task<FhirPage> SearchAsync(Caller caller, FhirSearch search, Guid? id, CancellationToken ct)
    {
        await using var c = await db.BeginReadAsync(ct);
        var args = FhirPages.Args(caller, search, id, await FhirPages.OwnersAsync(c, ExternalIdentifiers.OfSessions,
            caller.PracticeId, search, ct));
        var rows = await c.QueryAsync<SessionRow>(AppointmentsSql, args);
        var kept = rows.Take(search.Count).ToList();
        var sessions = await SessionReads.ToResponsesAsync(c, caller, kept, ct);
        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "fhir_appointment", id,
            sessions.SelectMany(s => s.Participants.Select(p => p.ClientId)).Distinct().ToList(), Detail: "fhir"), ct);
        return new FhirPage(sessions.Select(FhirJson.Appointment).ToList(),
            rows.Count > search.Count ? Cursor.Encode(kept[^1].Id.ToString()) : null,
            await FhirPages.CountAsync(c, AppointmentsCountSql, search, args, ct));
    }
}
