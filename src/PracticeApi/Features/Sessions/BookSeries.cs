using System.Globalization;

namespace PracticeApi.Features.Sessions;

/// <summary>
/// Books every occurrence of a series in one transaction: each is a real session, booked and checked like a single one.
/// When an occurrence conflicts with the therapist's or a client's other sessions, nothing is booked (409 with the
/// conflicts) unless skipConflicts is set; then the rest is booked and the conflicts are listed as skipped.
/// </summary>
internal sealed class BookSeries(Db db, SessionBooking booking, AuditLog audit, PracticeCalendar calendar,
    TimeProvider clock)
{
    private const string InsertSeriesSql = """
        INSERT INTO SessionSeries (Id, PracticeId, TherapistId, ClientId, CoupleId, EveryWeeks, LocalStartTime,
            TimeZone, CreatedAt)
        VALUES (@Id, @PracticeId, @TherapistId, @ClientId, @CoupleId, @EveryWeeks, @LocalStartTime, @TimeZone, @Now)
        """;

    public async Task<Outcome<SeriesResponse>> CreateAsync(Caller caller, CreateSeriesRequest request,
        CancellationToken ct)
    {
        var seriesId = EntityIds.New();
        var occurrences = Occurrences(request);
        await using var c = await db.BeginWriteAsync(ct);
        var subject = await booking.ResolveSubjectAsync(c, caller, request.ClientId, request.CoupleId,
            request.TherapistId,
            (request.SafetyOverrideReason, "a series of couple sessions", "session_series", seriesId), ct);
        if (!subject.Succeeded) return subject.Failure!;
        var (therapistId, participants) = subject.Value;

        if (await SessionBooking.CheckTherapistAsync(c, caller.PracticeId, therapistId, participants,
            ct) is { } refused) return refused;
        var (free, conflicts) = await SeriesReads.CheckOccurrencesAsync(c, caller.PracticeId, participants,
            occurrences.Select(o => (EntityIds.New(), therapistId, o)).ToList(), request.DurationMinutes);
        if (free.Count == 0 || (conflicts.Count > 0 && !request.SkipConflicts)) return SeriesReads.Conflicts(conflicts);

        var now = clock.GetUtcNow().UtcDateTime;
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(request.StartsAt, DateTimeKind.Utc),
            calendar.Zone);
        await c.ExecuteAsync(InsertSeriesSql, new
        {
            Id = seriesId, caller.PracticeId, TherapistId = therapistId, request.ClientId, request.CoupleId, request.EveryWeeks,
            LocalStartTime = local.ToString("HH:mm",
                CultureInfo.InvariantCulture), TimeZone = calendar.Zone.Id, Now = now,
        });
        foreach (var (id, startsAt) in free)
        {
            var single = new CreateSessionRequest(request.ClientId, request.CoupleId, therapistId, request.Kind,
                request.Modality, startsAt, request.DurationMinutes, null);
            await booking.InsertAsync(c, caller, id, single, therapistId, participants, seriesId, now, ct);
        }

        await audit.WriteAsync(c, caller, new AuditEntry(AuditAction.Create, "session_series", seriesId,
            participants.ToList(), Detail: $"{free.Count} sessions, {conflicts.Count} skipped"));
        var created = await SeriesReads.LoadAsync(c, caller, seriesId, conflicts, ct);
        await c.CommitAsync();
        return created!;
    }

    /// <summary>The occurrences' UTC starts: the first start's local time on every everyWeeks-th week in the practice's
    /// zone.</summary>
    private List<DateTime> Occurrences(CreateSeriesRequest request)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(request.StartsAt, DateTimeKind.Utc),
            calendar.Zone);
        var firstDate = DateOnly.FromDateTime(local);
        var time = TimeOnly.FromDateTime(local);
        var starts = new List<DateTime>();
        for (var i = 0; i < CreateSeriesValidator.MaxOccurrences; i++)
        {
            var date = firstDate.AddDays(7 * request.EveryWeeks * i);
            if (request.Count is { } count && i >= count) break;
            if (request.Until is { } until && date > until) break;
            starts.Add(calendar.ToUtc(date, time));
        }

        return starts;
    }
}
