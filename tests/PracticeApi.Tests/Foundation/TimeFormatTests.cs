using System.Globalization;
using System.Text.Json;
using PracticeApi.Infrastructure.Data;
using PracticeApi.Infrastructure.Http;

namespace PracticeApi.Tests.Foundation;

/// <summary>
/// Times are stored and answered through fast paths ("O" and the JSON writer's own form); these must give exactly the
/// text of the custom formats the API has always used, for every tick.
/// </summary>
public class TimeFormatTests
{
    private static IEnumerable<DateTime> Times()
    {
        var random = new Random(20261130);
        yield return new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc);
        yield return new DateTime(2026, 3, 1, 9, 0, 0, 500, DateTimeKind.Utc);
        yield return new DateTime(2026, 3, 1, 9, 0, 0, DateTimeKind.Utc).AddTicks(1);
        yield return DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc);
        yield return DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc);
        for (var i = 0; i < 20_000; i++)
        {
            var ticks = random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
            // Whole seconds and whole milliseconds as often as full precision: those are where trailing zeros go.
            ticks -= (i % 3) switch { 0 => ticks % TimeSpan.TicksPerSecond, 1 =>
                ticks % TimeSpan.TicksPerMillisecond, _ => 0 };
            yield return new DateTime(ticks, DateTimeKind.Utc);
        }
    }

    [Fact]
    public void Stored_times_are_the_instant_format_and_read_back_to_the_tick()
    {
        foreach (var time in Times())
        {
            var text = DapperTypeHandlers.ToText(time);
            Assert.Equal(time.ToString(DapperTypeHandlers.InstantFormat, CultureInfo.InvariantCulture), text);
            Assert.Equal(time, DapperTypeHandlers.ParseInstant(text));
        }
    }

    [Fact]
    public void Answered_times_drop_trailing_zeros_and_end_in_z()
    {
        var options = new JsonSerializerOptions { Converters = { new UtcDateTimeConverter() } };
        foreach (var time in Times())
        {
            var expected = time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
            Assert.Equal($"\"{expected}\"", JsonSerializer.Serialize(time, options));
        }

        Assert.Equal("\"2026-03-01T09:00:00Z\"", JsonSerializer.Serialize(new DateTime(2026, 3, 1, 9, 0, 0,
            DateTimeKind.Utc), options));
        Assert.Equal("\"2026-03-01T09:00:00.5Z\"", JsonSerializer.Serialize(new DateTime(2026, 3, 1, 9, 0, 0, 500,
            DateTimeKind.Utc), options));
    }
}
