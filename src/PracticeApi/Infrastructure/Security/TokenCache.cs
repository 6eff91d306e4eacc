using System.Collections.Concurrent;

namespace PracticeApi.Infrastructure.Security;

/// <summary>What the token lookup found: the token and the state of the therapist or client it acts for.</summary>
public sealed record TokenState
{
    public Guid Id { get; init; }
    public Guid PracticeId { get; init; }
    public string Kind { get; init; } = "";
    public Guid? TherapistId { get; init; }
    public Guid? ClientId { get; init; }
    public string? Scopes { get; init; }
    public DateTime? ExpiresAt { get; init; }
    public DateTime? RevokedAt { get; init; }
    public DateTime? LastUsedAt { get; init; }
    public string? Role { get; init; }
    public bool? TherapistActive { get; init; }
    public string? ClientStatus { get; init; }
    public Guid? ConsentRecipientId { get; init; }
    public string? ClientLanguage { get; init; }

    private Caller? _caller;

    /// <summary>Who holds the token, from <see cref="Kind"/> as stored.</summary>
    public ActorKind Holder => ClosedSets.Parse<ActorKind>(Kind);

    /// <summary>
    /// The caller this token authenticates (the request's address and id are added per request), made once per state: a
    /// cached state serves every request within the cache's lifetime. A copy made with <c>with</c> keeps it, which is
    /// right for the one copy the handler makes (a new <see cref="LastUsedAt"/>); a copy that changed who the token is
    /// would need a new state.
    /// </summary>
    public Caller Caller => _caller ??= new Caller(PracticeId, Id, Holder, TherapistId,
        Holder == ActorKind.Client ? ClientId : null,
        Holder == ActorKind.User && Role is not null ? ClosedSets.Parse<TherapistRole>(Role) : null,
        (Scopes ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
        SourceIp: null, RequestId: "") {
            ConsentRecipientId = Holder == ActorKind.Integration ? ConsentRecipientId : null,
            PreferredLanguage = Holder == ActorKind.Client ? ClientLanguage : null,
        };
}

/// <summary>
/// A short-lived, in-process memory of valid tokens, keyed by their hash, so that a request does not look its token up.
/// Rules: anything that can end or narrow a token (revocation, a therapist deactivated or given another role, a client
/// discharged) calls <see cref="Invalidate"/> before it answers, so this instance stops honouring the token at once;
/// other instances notice within <c>Auth:TokenCacheSeconds</c> (default 5 s; 0 turns the cache off). A lookup that
/// started before an invalidation is never stored after it (the generation check), and only valid tokens are kept.
/// </summary>
public sealed class TokenCache(TimeProvider clock, IConfiguration configuration)
{
    private const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (TokenState State,
        DateTimeOffset Until)> _entries = new(StringComparer.Ordinal);
    private long _generation;

    public TimeSpan Lifetime { get; } = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue(
        "Auth:TokenCacheSeconds", 5.0), 0, 60));

    /// <summary>Taken before a lookup; passed back to <see cref="Store"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public TokenState? Find(string hash)
    {
        if (!_entries.TryGetValue(hash, out var entry)) return null;
        if (entry.Until > clock.GetUtcNow()) return entry.State;
        _entries.TryRemove(new KeyValuePair<string, (TokenState, DateTimeOffset)>(hash, entry));
        return null;
    }

    public void Store(string hash, TokenState state, long generation)
    {
        if (Lifetime <= TimeSpan.Zero) return;
        if (_entries.Count >= MaxEntries) _entries.Clear();
        _entries[hash] = (state, clock.GetUtcNow() + Lifetime);
        // An invalidation raced with this lookup: drop what was just stored rather than keep a stale state.
        if (Generation != generation) _entries.TryRemove(hash, out _);
    }

    /// <summary>Forget every token: called by whatever revokes or narrows one, before it answers.</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }
}
