using System.Text.Json;
using FluentValidation;
using PracticeApi.Features.AuditEvents;
using PracticeApi.Features.Clients;
using PracticeApi.Features.Couples;
using PracticeApi.Features.Sessions;

namespace PracticeApi.Features.Records;

/// <summary>A couple the client is a partner in, as far as it concerns them.</summary>
/// <param name="Id">The couple's id.</param>
/// <param name="PartnerId">The other partner.</param>
/// <param name="OwnRole">The client's role in the couple.</param>
/// <param name="BreachType">The kind of breach.</param>
/// <param name="CurrentStep">The current step (1–7).</param>
/// <param name="Status">active, paused or closed.</param>
/// <param name="StartedOn">When repair started.</param>
public sealed record ExportedCouple(Guid Id, Guid PartnerId, PartnerRole OwnRole, BreachType BreachType,
    int CurrentStep, CoupleStatus Status, DateOnly StartedOn);

/// <summary>An answer to an exercise: the client's own, or the partner's where the exercise already shows it to the
/// client.</summary>
/// <param name="Id">The answer's id.</param>
/// <param name="AssignmentId">The assignment answered.</param>
/// <param name="RespondentId">Who answered.</param>
/// <param name="Own">True for the client's own answer.</param>
/// <param name="OccurrenceDate">The occurrence answered.</param>
/// <param name="Revision">The answer's revision.</param>
/// <param name="Answers">The answers, keyed by field.</param>
/// <param name="SubmittedAt">When it was submitted (UTC).</param>
/// <param name="Feedback">The therapist's feedback, if any.</param>
public sealed record ExportedResponse(Guid Id, Guid AssignmentId, Guid RespondentId, bool Own, DateOnly OccurrenceDate,
    int Revision, JsonElement Answers, DateTime SubmittedAt, string? Feedback);

/// <summary>
/// A client's whole record for the right of access and to data portability (AVG art. 15 and 20): details and
/// identifiers, sessions with notes and addenda, couples, exercise answers (their own, and the partner's only where
/// already shared with them), safety screenings and trigger episodes they gave, their support network, their recovery
/// log, consents and outcome measures, and who accessed the record.
/// </summary>
/// <param name="ExportedAt">When the export was made (UTC).</param>
/// <param name="Client">The client's details and identifiers.</param>
/// <param name="Sessions">Their sessions, with notes and addenda.</param>
/// <param name="Couples">The couples they are part of.</param>
/// <param name="ExerciseResponses">Their answers, and the partner's where already shown to them.</param>
/// <param name="Screenings">Safety screenings they gave.</param>
/// <param name="TriggerEpisodes">Trigger episodes they recorded or that were recorded for them.</param>
/// <param name="SupportNetwork">The people in their support network.</param>
/// <param name="AccessLog">Who accessed the record.</param>
/// <param name="RecoveryLog">Their recovery log.</param>
/// <param name="Consents">Their consents, in force and withdrawn.</param>
/// <param name="Measures">The outcome measures they took, each with its answers and score, oldest first.</param>
public sealed record ClientExport(
    DateTime ExportedAt, ClientResponse Client, IReadOnlyList<SessionResponse> Sessions, IReadOnlyList<ExportedCouple> Couples,
    IReadOnlyList<ExportedResponse> ExerciseResponses, IReadOnlyList<Couples.SafetyScreeningResponse> Screenings, IReadOnlyList<RepairWork.TriggerEpisodeResponse> TriggerEpisodes,
    IReadOnlyList<SupportNetwork.SupportPersonResponse> SupportNetwork, IReadOnlyList<AccessLogEntry> AccessLog,
    IReadOnlyList<Recovery.RecoveryEntryResponse> RecoveryLog, IReadOnlyList<Consents.ConsentResponse> Consents,
    IReadOnlyList<Measures.ScoreResponse> Measures);

public sealed record ExportQuery
{
    public string? Format { get; init; }
}

internal sealed class ExportQueryValidator : AbstractValidator<ExportQuery>
{
    public ExportQueryValidator() =>
        RuleFor(q => q.Format).Must(f => f is null or "json" or "fhir").WithMessage("format must be json or fhir.");
}
