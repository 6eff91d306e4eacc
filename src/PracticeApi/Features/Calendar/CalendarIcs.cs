using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace PracticeApi.Features.Calendar;

/// <summary>
/// A therapist's sessions as an iCalendar feed (RFC 5545) for a calendar app: each session one event with a stable UID
/// and the session's version as SEQUENCE, so a reschedule moves the event and a cancellation marks it cancelled. Only
/// what a calendar on a phone may show: times, the kind and form of session, the clients' initials. No names, no notes.
/// </summary>
internal static class CalendarIcs
{
    public const string MediaType = "text/calendar";

    private static readonly Dictionary<string, (string En, string Nl)> Kinds = new()
    {
        ["intake"] = ("Intake", "Intake"), ["individual"] = ("Individual session", "Individuele sessie"),
        ["couple"] = ("Couple session", "Partnerrelatiesessie"), ["family"] = ("Family session", "Gezinssessie"),
    };

    private static readonly Dictionary<string, (string En, string Nl)> Modalities = new()
    {
        ["in_person"] = ("in person", "op de praktijk"), ["video"] = ("video", "video"), ["phone"] = ("phone",
            "telefoon"),
    };

    /// <summary>Initials as a calendar shows them: "Sanne de Vries" is S.V., "Noor El Amrani" N.E.A.</summary>
    public static string Initials(string firstName, string lastName)
    {
        var parts = lastName.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var capitalised = parts.Where(p => char.IsUpper(p[0])).ToList();
        var letters = new[] { firstName.Trim() }.Concat(capitalised.Count > 0 ? capitalised : parts.Take(1))
            .Where(p => p.Length > 0)
            .Select(p => char.ToUpperInvariant(p[0]) + ".");
        return string.Concat(letters);
    }

    public static string Write(IReadOnlyList<FeedSessionRow> sessions, ILookup<Guid,
        FeedParticipantRow> participants, bool dutch)
    {
        var calendar = new Ical.Net.Calendar { ProductId = "-//PracticeApi//Calendar feed//EN" };
        calendar.AddProperty("X-WR-CALNAME", dutch ? "Sessies" : "Sessions");
        foreach (var session in sessions)
        {
            var kind = Kinds.TryGetValue(session.Kind, out var k) ? (dutch ? k.Nl : k.En) : session.Kind;
            var modality = Modalities.TryGetValue(session.Modality,
                out var m) ? (dutch ? m.Nl : m.En) : session.Modality;
            var who = string.Join(" & ", participants[session.Id].OrderBy(p => p.ClientId)
                .Select(p => Initials(p.FirstName, p.LastName)));
            var cancelled = Cancelled(session);
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{session.Id}@practiceapi",
                Sequence = session.Version,
                DtStart = Utc(session.StartsAt),
                DtEnd = Utc(session.EndsAt),
                DtStamp = Utc(session.UpdatedAt),
                LastModified = Utc(session.UpdatedAt),
                Summary = who.Length > 0 ? $"{kind} ({modality}), {who}" : $"{kind} ({modality})",
                Status = cancelled ? EventStatus.Cancelled : EventStatus.Confirmed,
                Transparency = cancelled ? TransparencyType.Transparent : TransparencyType.Opaque,
            });
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }

    private static bool Cancelled(FeedSessionRow session) => ClosedSets.Parse<Sessions.SessionStatus>(session.Status)
        is Sessions.SessionStatus.Cancelled or Sessions.SessionStatus.LateCancelled;

    private static CalDateTime Utc(DateTime at) => new(DateTime.SpecifyKind(at, DateTimeKind.Utc), "UTC", true);
}
