using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Hardening;

/// <summary>
/// A closed set is an enum, swept over every request body the OpenAPI document describes: wherever a member (nested, or
/// a list's items) is an enum schema, a value outside it is a 400 validation problem that names the field and lists the
/// set, and the C# name of a member ("InPerson", as a generated client may send it) is read as that member where the
/// wire name is the C# name in snake_case (scopes and event types have names of their own, such as clients:read). A new
/// closed set is swept without touching this test.
/// </summary>
public sealed partial class ClosedSetTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task A_value_outside_any_closed_set_names_the_field_and_the_set_and_a_members_csharp_name_is_read()
    {
        var c = await api.NewCoupleCaseAsync();
        var callers = new[] { c.Practice.Admin, c.PortalA };
        var swept = 0;
        foreach (var member in OpenApiDocument.BodyMembers(s => Members(s) is not null))
        {
            var (method, path, field, members) = (member.Method, member.Path, member.Field, Members(member.Schema)!);
            var problem = await (await OpenApiDocument.SendAsync(callers, method, path, member.With("not_a_member"))).AssertProblemAsync(400, "validation");
            var errors = problem.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out var messages), $"{method} {path} with {field} outside its set: {problem}");
            Assert.Equal($"{field} must be one of: {string.Join(", ", members)}.", messages[0].GetString());

            swept++;
            if (!SnakeCase().IsMatch(members[^1])) continue;
            var pascal = Pascal(members[^1]);
            var answer = await OpenApiDocument.SendAsync(callers, method, path, member.With(pascal));
            if ((int)answer.StatusCode == 400)
            {
                // Read as the member: any rule may still refuse it (a pair of roles), but not as outside the set.
                var other = await answer.AssertProblemAsync(400);
                Assert.False(other.TryGetProperty("errors", out var fields) && fields.TryGetProperty(field, out var said) &&
                             said[0].GetString()!.Contains("must be one of", StringComparison.Ordinal),
                    $"{method} {path} with {field} = \"{pascal}\": {other}");
            }
        }

        Assert.True(swept > 30, $"only {swept} closed-set members swept");
    }

    private static string[]? Members(JsonNode schema) =>
        schema["enum"] is JsonArray values ? values.Where(v => v is not null).Select(v => v!.GetValue<string>()).ToArray() : null;

    private static string Pascal(string wire) =>
        string.Concat(Words().Split(wire).Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex SnakeCase();

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex Words();
}
