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
            var problem = await (await OpenApiDocument.SendAsync(callers, method, path, member.With("not_a_member")))
                .AssertProblemAsync(400, "validation");
            var errors = problem.GetProperty("errors");
            Assert.True(errors.TryGetProperty(field, out var messages),
                $"{method} {path} with {field} outside its set: {problem}");
            Assert.Equal($"{field} must be one of: {string.Join(", ", members)}.", messages[0].GetString());

            swept++;
            if (!SnakeCase().IsMatch(members[^1])) continue;
            var pascal = Pascal(members[^1]);
            var answer = await OpenApiDocument.SendAsync(callers, method, path, member.With(pascal));
            if ((int)answer.StatusCode == 400)
            {
                // Read as the member: any rule may still refuse it (a pair of roles), but not as outside the set.
                var other = await answer.AssertProblemAsync(400);
                Assert.False(other.TryGetProperty("errors", out var fields) && fields.TryGetProperty(field,
                    out var said) &&
                             said[0].GetString()!.Contains("must be one of", StringComparison.Ordinal),
                    $"{method} {path} with {field} = \"{pascal}\": {other}");
            }
        }

        Assert.True(swept > 30, $"only {swept} closed-set members swept");
    }

    /// <summary>
    /// The same over every query string the document describes (a list's status, a catalogue's audience): a value
    /// outside the set is a 400 naming the parameter and the set, every member is read, and so is a member's C# name.
    /// </summary>
    [Fact]
    public async Task A_query_value_outside_its_closed_set_names_the_parameter_and_the_set_and_every_member_is_read()
    {
        var c = await api.NewCoupleCaseAsync();
        var callers = new[] { c.Practice.Admin, c.PortalA };
        var swept = 0;
        // FHIR's search parameters answer with an OperationOutcome of their own (FhirSearchTests).
        foreach (var (path, method, _) in OpenApiDocument.Operations().Where(o => o.Method == "get"
            && o.Path.StartsWith("/api/", StringComparison.Ordinal)))
        {
            var parameters = OpenApiDocument.Spec["paths"]![path]![method]!["parameters"]?.AsArray() ?? [];
            foreach (var parameter in parameters.Where(p => (string?)p!["in"] == "query"
                && Members(p["schema"]!) is not null))
            {
                var (name, members) = ((string)parameter!["name"]!, Members(parameter["schema"]!)!);
                var refused = await (await GetAsync(callers, path, $"{name}=not_a_member")).AssertProblemAsync(400,
                    "validation");
                Assert.Equal($"{name} must be one of: {string.Join(", ", members)}.", refused.GetProperty("errors")
                    .GetProperty(name)[0].GetString());
                foreach (var value in members.Append(Pascal(members[^1])))
                {
                    var answer = await GetAsync(callers, path, $"{name}={value}");
                    Assert.True((int)answer.StatusCode is 200 or 404,
                        $"GET {path}?{name}={value}: {(int)answer.StatusCode}");
                }

                swept++;
            }
        }

        Assert.True(swept >= 10, $"only {swept} closed-set query parameters swept");
    }

    /// <summary>
    /// Every field of every schema in the document, request or response, whose name says it holds one of a set (a
    /// status, kind, role, type, outcome, action, state, method, language, audience, cadence, visibility, modality,
    /// relationship, effect or charge) is an enum schema, so that an integrator's generated client gets the set. The
    /// only strings left are named here with why: an open vocabulary, or a protocol's own field.
    /// </summary>
    [Fact]
    public void Every_field_named_for_a_closed_set_is_an_enum_in_requests_and_answers()
    {
        string[] open =
        [
            "AuditEventResponse.resourceType", // the record a feature acted on: grows with every feature
            "AccessLogEntry.dataKind", // the same, as the client's access log words it
            "HttpValidationProblemDetails.type", "ProblemDetails.type", // RFC 9457: a URI
            "TokenGrant.token_type", "TokenRequestForm.grant_type", "TokenRequestForm.client_assertion_type", // OAuth
        ];
        var named = ClosedSetName();
        var strings = new List<string>();
        var enums = 0;
        foreach (var (schemaName, schema) in OpenApiDocument.Schemas)
        {
            foreach (var (field, property) in schema!["properties"]?.AsObject() ?? [])
            {
                if (!named.IsMatch(field)) continue;
                var resolved = OpenApiDocument.Resolve(property!);
                var item = resolved["items"] is { } items ? OpenApiDocument.Resolve(items) : resolved;
                if (Members(item) is not null) enums++;
                else if (item.ToJsonString().Contains("\"string\"", StringComparison.Ordinal))
                    strings.Add($"{schemaName}.{field}");
            }
        }

        Assert.Equal(open.Order(), strings.Order());
        Assert.True(enums > 60, $"only {enums} closed-set fields found");
    }

    [GeneratedRegex("(status|kind|role|type|outcome|action|state|method|language|audience|cadence|visibility|modality|relationship|effect|charge|via|motivation|answer)$",
        RegexOptions.IgnoreCase)]
    private static partial Regex ClosedSetName();

    private static async Task<HttpResponseMessage> GetAsync(HttpClient[] callers, string path, string query)
    {
        var url = Regex.Replace(path, "\\{[^}]+\\}", Guid.NewGuid().ToString()) + "?" + query;
        HttpResponseMessage? answer = null;
        foreach (var caller in callers)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get,
                url) { Headers = { AcceptLanguage = { new("en") } } };
            answer = await caller.SendAsync(request);
            if ((int)answer.StatusCode is not (401 or 403)) break;
        }

        return answer!;
    }

    private static string[]? Members(JsonNode schema) =>
        schema["enum"] is JsonArray values ? values.Where(v => v is not null).Select(v => v!.GetValue<string>())
            .ToArray() : null;

    private static string Pascal(string wire) =>
        string.Concat(Words().Split(wire).Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex SnakeCase();

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex Words();
}
