using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Hardening;

/// <summary>
/// Every day and time in every request body stays within the window the API keeps dates in (1900-01-01 to 2999-12-31),
/// so that nothing computed from one (a day later, a year of occurrences) leaves the calendar: one outside it is a 400
/// validation problem naming the field, never a 500, whatever the operation. A new date field is swept without touching
/// this test.
/// </summary>
public sealed class DateWindowTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task A_day_or_time_outside_the_window_in_any_request_body_is_a_400_naming_the_field()
    {
        var c = await api.NewCoupleCaseAsync();
        var callers = new[] { c.Practice.Admin, c.PortalA };
        var swept = 0;
        foreach (var member in OpenApiDocument.BodyMembers(
            s => s["format"]?.GetValue<string>() is "date" or "date-time"))
        {
            foreach (var year in new[] { "0001", "9999" })
            {
                var value = member.Schema["format"]!.GetValue<string>() == "date"
                    ? $"{year}-12-31" : $"{year}-12-31T12:00:00Z";
                var problem = await (await OpenApiDocument.SendAsync(callers, member.Method, member.Path,
                    member.With(value)))
                    .AssertProblemAsync(400, "validation");
                Assert.True(problem.GetProperty("errors").TryGetProperty(member.Field, out var messages),
                    $"{member.Method} {member.Path} with {member.Field} = {value}: {problem}");
                Assert.Equal($"{member.Field} must be between 1900-01-01 and 2999-12-31.", messages[0].GetString());
            }

            swept++;
        }

        Assert.True(swept > 20, $"only {swept} date members swept");
    }
}
