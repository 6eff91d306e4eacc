namespace PracticeApi.Tests.Infrastructure;

/// <summary>A clock the tests move by hand. Starts at the real time so tokens and data look ordinary.</summary>
public sealed class TestClock : TimeProvider
{
    private DateTimeOffset _now = DateTimeOffset.UtcNow;
    private readonly object _gate = new();

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate) _now = _now.Add(by);
    }

    public void Set(DateTimeOffset now)
    {
        lock (_gate) _now = now;
    }
}
