using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PracticeApi.Infrastructure.Http;

/// <summary>Times leave the API as UTC ISO-8601 with Z; a time without an offset is refused, not guessed.</summary>
public sealed class UtcDateTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None,
            out var value) ||
            !(text.EndsWith('Z') || text.EndsWith('z') || text.Contains('+') || text.LastIndexOf('-') > 9))
        {
            throw new JsonException("Times must be ISO-8601 with an offset, such as 2026-03-01T09:00:00Z.");
        }

        return SearchWindow.Contains(value) ? value.UtcDateTime : throw new OutsideDateWindowException();
    }

    // The writer's own ISO-8601 form of a UTC time: seconds' fraction without trailing zeros (none when whole), then Z,
    // as the custom format "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'" gives it, at a fifth of that format's cost.
    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc));
}

/// <summary>
/// Dates in bodies are yyyy-MM-dd within <see cref="SearchWindow"/>, so that nothing computed from one (a day later, a
/// year of occurrences) leaves the calendar: a date outside it is a validation problem naming the field, before any
/// handler.
/// </summary>
public sealed class WindowedDateConverter : JsonConverter<DateOnly>
{
    public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.GetString() is not { } text ||
            !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            throw new JsonException();
        }

        return SearchWindow.Contains(day) ? day : throw new OutsideDateWindowException();
    }

    public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}

/// <summary>A date or time in a body outside <see cref="SearchWindow"/> (answered as a validation problem naming the
/// field).</summary>
public sealed class OutsideDateWindowException() : JsonException(
    "The date is outside the window this API keeps dates in.");
