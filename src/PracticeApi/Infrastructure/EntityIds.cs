namespace PracticeApi.Infrastructure;

/// <summary>
/// The ids of new records: time-ordered (version 7) GUIDs, except where a caller planned them ahead. The demo practice
/// plans its ids so that the OpenAPI document's examples name records that exist in it.
/// </summary>
public static class EntityIds
{
    private static readonly AsyncLocal<Queue<Guid>?> Planned = new();

    public static Guid New() => Planned.Value is { Count: > 0 } planned ? planned.Dequeue() : Guid.CreateVersion7();

    /// <summary>
    /// The next records made in this async flow take these ids, in order. Disposing checks that each was used, so a
    /// planned id cannot silently land on another record.
    /// </summary>
    public static IDisposable Plan(params Guid[] ids)
    {
        var queue = new Queue<Guid>(ids);
        var outer = Planned.Value;
        Planned.Value = queue;
        return new PlanScope(queue, outer);
    }

    private sealed class PlanScope(Queue<Guid> queue, Queue<Guid>? outer) : IDisposable
    {
        public void Dispose()
        {
            Planned.Value = outer;
            if (queue.Count > 0) throw new InvalidOperationException(
                $"{queue.Count} planned id(s) were not used, the first {queue.Peek()}.");
        }
    }
}
