using System.Text.Json;
using PracticeApi.Features.Clients;

namespace PracticeApi.Features.Sessions;

internal sealed record SessionRow
{
    public Guid Id { get; init; }
    public Guid TherapistId { get; init; }
    public Guid? ClientId { get; init; }
    public Guid? CoupleId { get; init; }
    public string Kind { get; init; } = "";
    public string Modality { get; init; } = "";
    public DateTime StartsAt { get; init; }
    public DateTime EndsAt { get; init; }
    public int DurationMinutes { get; init; }
    public string Status { get; init; } = "";
    public string? CancelReason { get; init; }
    public bool? CancelledByClient { get; init; }
    public DateTime? CancelledAt { get; init; }
    public DateTime? CompletedAt { get; init; }
    public string? NoteFormat { get; init; }
    public string? NoteSections { get; init; }
    public Guid? SeriesId { get; init; }
    public DateTime? NoteSignedAt { get; init; }
    public Guid? NoteSignedBy { get; init; }
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    /// <param name="withNote">Notes are clinical text: shown to therapists and admins, not to integration
    /// tokens.</param>
    public SessionResponse ToResponse(IEnumerable<Participant> participants, IEnumerable<Identifier> identifiers,
        IEnumerable<NoteAddendum> addenda, bool withNote) => new(
        Id, TherapistId, ClientId, CoupleId, ClosedSets.Parse<SessionKind>(Kind), ClosedSets.Parse<SessionModality>(Modality),
        StartsAt, EndsAt, DurationMinutes, ClosedSets.Parse<SessionStatus>(Status), participants.ToList(),
        withNote && NoteFormat is not null && NoteSections is not null
            ? new SessionNote(ClosedSets.Parse<NoteFormat>(NoteFormat), JsonSerializer.Deserialize<Dictionary<string,
                string>>(NoteSections)!)
            : null,
        withNote && NoteSignedAt is { } signedAt && NoteSignedBy is { } signedBy ? new NoteSignature(signedBy,
            signedAt) : null,
        withNote ? addenda.ToList() : [],
        CancelledAt is { } at ? new Cancellation(CancelReason ?? "", CancelledByClient ?? false, at) : null,
        CompletedAt, identifiers.ToList(), SeriesId, Version, CreatedAt, UpdatedAt);
}
