using FluentValidation;
using PracticeApi.Features.Sessions;

namespace PracticeApi.Features.Reminders;

/// <summary>Whether and when a client is reminded of their sessions.</summary>
/// <param name="Enabled">Whether the client is reminded (a session.reminder_due event for them, for the portal app or
/// an EHR to deliver).</param>
/// <param name="HoursBefore">How many hours before the session, 1 to 168; required when enabled, left out (or null)
/// when not.</param>
public sealed record ReminderSettingsRequest(bool? Enabled, int? HoursBefore);

/// <summary>Whether and when a client is reminded of their sessions.</summary>
/// <param name="ClientId">The client.</param>
/// <param name="Enabled">Whether they are reminded.</param>
/// <param name="HoursBefore">How many hours before a session; null when not reminded.</param>
/// <param name="PracticeDefault">True while the client has no setting of their own and the practice's default
/// applies.</param>
public sealed record ReminderSettingsResponse(Guid ClientId, bool Enabled, int? HoursBefore, bool PracticeDefault);

/// <summary>A session of mine whose reminder time has begun: when, what kind, how; never notes.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="StartsAt">When it starts (UTC).</param>
/// <param name="EndsAt">When it ends (UTC).</param>
/// <param name="Kind">intake, individual, couple or family.</param>
/// <param name="Modality">in_person, video or phone.</param>
/// <param name="Reminder">The reminder in words, in the request's language (a portal client's own by default), with the
/// local time, such as "Herinnering: je relatiesessie via video is op dinsdag 10 maart om 14:00."</param>
public sealed record UpcomingSession(Guid SessionId, DateTime StartsAt, DateTime EndsAt, SessionKind Kind,
    SessionModality Modality, string Reminder);

internal sealed class ReminderSettingsRequestValidator : AbstractValidator<ReminderSettingsRequest>
{
    public ReminderSettingsRequestValidator()
    {
        RuleFor(r => r.Enabled).NotNull().WithMessage("enabled is required: true or false.");
        RuleFor(r => r.HoursBefore).NotNull().InclusiveBetween(1, 168).When(r => r.Enabled == true)
            .WithMessage("hoursBefore is required when enabled, from 1 to 168.");
        RuleFor(r => r.HoursBefore).Null().When(r => r.Enabled == false)
            .WithMessage("hoursBefore is left out when reminders are off.");
    }
}
