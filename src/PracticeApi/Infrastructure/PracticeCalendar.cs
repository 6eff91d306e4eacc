namespace PracticeApi.Infrastructure;

/// <summary>
/// "Today" and due times as the practice lives them: dates and times of day are in the practice's time zone
/// (Practice:TimeZone, default Europe/Amsterdam); instants are UTC.
/// </summary>
public sealed class PracticeCalendar(TimeProvider clock, TimeZoneInfo zone)
{
    public static PracticeCalendar From(IConfiguration configuration, TimeProvider clock) =>
        new(clock, TimeZoneInfo.FindSystemTimeZoneById(configuration["Practice:TimeZone"] ?? "Europe/Amsterdam"));

    public TimeZoneInfo Zone => zone;

    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(Now, zone));

    /// <summary>The UTC instant of a local date and time of day.</summary>
    public DateTime ToUtc(DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        // A time skipped by a daylight-saving change moves an hour on.
        if (zone.IsInvalidTime(local)) local = local.AddHours(1);
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    public DateOnly LocalDate(DateTime utc) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone));
}
