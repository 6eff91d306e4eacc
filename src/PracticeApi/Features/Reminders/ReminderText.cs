using System.Globalization;

namespace PracticeApi.Features.Reminders;

/// <summary>
/// A session reminder as the client reads it, in Dutch or English: what kind of session, how, and when in the
/// practice's time zone; never who else or why. Written out here rather than by culture data (the API runs without it).
/// </summary>
internal static class ReminderText
{
    private static readonly string[] DutchDays = ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag",
        "zaterdag"];

    private static readonly string[] DutchMonths =
        ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
            "november", "december"];

    public static string For(string kind, string modality, DateTime localStart,
        string language) => language == Languages.Dutch
        ? $"Herinnering: je {DutchKind(kind)} {DutchModality(modality)} is op {DutchDays[(int)localStart.DayOfWeek]} {localStart.Day} " +
          $"{DutchMonths[localStart.Month - 1]} om {localStart:HH:mm}."
        : $"Reminder: your {EnglishKind(kind)} {EnglishModality(modality)} is on " +
          $"{localStart.ToString("dddd d MMMM", CultureInfo.InvariantCulture)} at {localStart:HH:mm}.";

    private static string EnglishKind(string kind) => kind switch
    {
        "intake" => "intake session",
        "couple" => "couple session",
        "family" => "family session",
        _ => "session",
    };

    private static string DutchKind(string kind) => kind switch
    {
        "intake" => "intakegesprek",
        "couple" => "relatiesessie",
        "family" => "gezinssessie",
        _ => "sessie",
    };

    private static string EnglishModality(string modality) => modality switch
    {
        "video" => "by video",
        "phone" => "by phone",
        _ => "at the practice",
    };

    private static string DutchModality(string modality) => modality switch
    {
        "video" => "via video",
        "phone" => "telefonisch",
        _ => "op de praktijk",
    };
}
