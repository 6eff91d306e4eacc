using PracticeApi.Features.Assignments;
using PracticeApi.Features.Measures;
using PracticeApi.Features.Reminders;

namespace PracticeApi.Features.Me;

/// <param name="Kind">The token's kind: user (staff), integration or client (a partner's portal).</param>
/// <param name="PracticeId">The practice the token belongs to.</param>
/// <param name="TokenId">The token's id.</param>
/// <param name="TherapistId">The therapist, for a user token.</param>
/// <param name="Role">The therapist's role: admin or therapist.</param>
/// <param name="Scopes">What the token may do.</param>
public sealed record MeResponse(
    Tokens.TokenHolder Kind, Guid PracticeId, Guid TokenId, Guid? TherapistId, TherapistRole? Role,
    IReadOnlyList<string> Scopes);

/// <summary>What I have to do: my exercises (paged), and on the first page the measures I am to take and the sessions I
/// am being reminded of.</summary>
/// <param name="Items">Per assignment, today's unanswered occurrence and the overdue ones.</param>
/// <param name="NextCursor">The next page of assignments, or null.</param>
/// <param name="Sessions">My scheduled sessions whose reminder time has begun (my reminder setting's hours before),
/// soonest first; on the first page only, empty when reminders are off.</param>
/// <param name="Measures">The measures assigned to me not taken yet, today's and those of the last two weeks, oldest
/// first; on the first page only.</param>
public sealed record DueResponse(IReadOnlyList<DueWork> Items, string? NextCursor,
    IReadOnlyList<UpcomingSession> Sessions, IReadOnlyList<DueMeasure> Measures);
