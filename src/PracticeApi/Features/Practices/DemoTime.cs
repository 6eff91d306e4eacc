namespace PracticeApi.Features.Practices;

/// <summary>
/// A store or operation running as of a moment in the past, so the demo's records carry the times they would have had:
/// a check-in answered on its own evening, a note completed as the session ended. Only the seed uses it.
/// </summary>
internal sealed class DemoTime(IServiceProvider services, PracticeCalendar calendar)
{
    private sealed class FixedClock(DateTimeOffset at) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => at;
    }

    /// <summary>A new <typeparamref name="T"/> whose clock (its <see cref="TimeProvider"/> or <see
    /// cref="PracticeCalendar"/>) stands at a moment.</summary>
    public T At<T>(DateTime utc) where T : class
    {
        var clock = new FixedClock(new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)));
        var types = typeof(T).GetConstructors().Single().GetParameters().Select(p => p.ParameterType).ToList();
        object[] clocks = [.. types.Contains(typeof(TimeProvider)) ? [clock] : Array.Empty<object>(),
            .. types.Contains(typeof(PracticeCalendar)) ? [new PracticeCalendar(clock,
            calendar.Zone)] : Array.Empty<object>()];
        return ActivatorUtilities.CreateInstance<T>(services, clocks);
    }

    /// <summary>Today in the practice's time zone.</summary>
    public DateOnly Today => calendar.Today;

    /// <summary>A moment on a day in the practice's time zone, as UTC.</summary>
    public DateTime On(DateOnly day, TimeOnly time) => calendar.ToUtc(day, time);
}
