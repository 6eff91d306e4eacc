using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using PracticeApi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace PracticeApi.Tests.Hardening;

/// <summary>
/// Drives every operation of the committed OpenAPI document with generated path, query, header and body values, valid
/// and invalid (ids that exist, ids of another practice, garbage; domain words, extremes, wrong types, broken JSON),
/// under every kind of token. No answer may be a 5xx, and every 4xx must be a problem document. The seed is printed, so
/// a failure can be replayed with PRACTICEAPI_FUZZ_SEED.
/// </summary>
public sealed class GenerativeApiTests(WebhookApi api, ITestOutputHelper output) : IClassFixture<WebhookApi>
{
    private const int RequestsPerOperation = 100;

    [Fact]
    public async Task Every_operation_answers_generated_input_without_a_5xx_and_with_a_problem_for_every_4xx()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PRACTICEAPI_FUZZ_SEED"),
            out var fixedSeed) ? fixedSeed : Environment.TickCount;
        output.WriteLine($"seed {seed} (set PRACTICEAPI_FUZZ_SEED to replay)");
        var world = await World.CreateAsync(api);
        var spec = JsonNode.Parse(await File.ReadAllTextAsync(RepoFiles.PathTo("api-spec", "openapi.json")))!;
        var generator = new Generator(new Random(seed), spec, world);

        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        var succeeded = new HashSet<string>();
        var sent = 0;
        foreach (var (path, item) in spec["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                if (method is not ("get" or "post" or "put" or "delete" or "patch")) continue;
                for (var i = 0; i < RequestsPerOperation; i++)
                {
                    using var request = generator.Request(method, path, operation!);
                    var description = $"{request.Method} {request.RequestUri}";
                    var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync();
                    using var response = await api.ClientWith(null).SendAsync(request);
                    sent++;
                    var status = (int)response.StatusCode;
                    statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    if (status < 300) succeeded.Add($"{method} {path}");
                    var text = await response.Content.ReadAsStringAsync();
                    if (status >= 500)
                    {
                        failures.Add($"{status} for {description}\n  body sent: {Clip(body)}\n  answer: {Clip(text)}");
                    }
                    else if (status >= 400
                        && response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "application/fhir+json") &&
                             !(path == "/oauth/token" && text.Contains("\"error\"",
                                 StringComparison.Ordinal))) // OAuth's own error body (RFC 6749 §5.2)
                    {
                        failures.Add($"{status} without a problem document for {description}: {response.Content.Headers.ContentType}");
                    }
                }
            }
        }

        output.WriteLine($"{sent} requests; statuses {string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}"))}; {succeeded.Count} operations answered 2xx at least once");
        Assert.True(sent >= 90 * RequestsPerOperation, $"only {sent} requests sent");
        Assert.True(failures.Count == 0, $"seed {seed}: {failures.Count} failures, the first:\n" + string.Join("\n",
            failures.Take(15)));
    }

    private static string Clip(string text) => text.Length <= 400 ? text : text[..400] + "…";

    /// <summary>Real data to aim at: one practice with a couple, a session, an assignment with an answer, and
    /// more.</summary>
    private sealed record World(
        Dictionary<string, string?> Tokens, List<Guid> Ids, Guid PersonId, Guid OtherPracticeClient)
    {
        public static async Task<World> CreateAsync(WebhookApi api)
        {
            var c = await api.NewCoupleCaseAsync(startedOn: "2026-01-05");
            var admin = c.Practice.Admin;
            var therapist = await c.Practice.AddTherapistAsync();
            var session = await admin.CreateSessionAsync(new { coupleId = c.CoupleId }, DateTime.UtcNow.Date.AddDays(3)
                .AddHours(10));
            var today = api.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var assignment = await admin.AssignAsync(new { templateId = Infrastructure.ExerciseWork.DailyCheckIn,
                coupleId = c.CoupleId, startsOn = today });
            var answer = await (await c.PortalA.AnswerAsync(assignment, today, Infrastructure.ExerciseWork.CheckIn()))
                .ReadJsonAsync(201);
            var person = await (await admin.PostAsJsonAsync($"/api/v1/clients/{c.A}/support-network",
                new { name = "Ria", relationship = "friend", effect = "supports", mayContact = false }))
                    .Content.ReadFromJsonAsync<JsonObject>();
            var hook = await (await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://127.0.0.1:9/hook",
                events = new[] { "client.created" } })).ReadJsonAsync(201);
            var spare = await (await admin.PostAsJsonAsync("/api/v1/tokens", new { kind = "integration",
                name = "spare", scopes = new[] { "clients:read" } })).ReadJsonAsync(201);
            var integration = await c.Practice.IssueTokenAsync(new
            {
                kind = "integration", name = "EHR",
                scopes = new[] { "clients:read", "clients:write", "sessions:read", "sessions:write", "assignments:read", "webhooks:manage", "events:read", "fhir:read" },
            });
            var other = await api.NewPracticeAsync();
            var otherClient = await other.Admin.CreateClientIdAsync();

            var tokens = new Dictionary<string, string?>
            {
                ["admin"] = c.Practice.AdminToken,
                ["therapist"] = therapist.Token,
                ["portal"] = await c.Practice.PortalTokenAsync(c.B),
                ["integration"] = integration,
                ["none"] = null,
                ["garbage"] = "pa_" + new string('x', 43),
            };
            var ids = new List<Guid>
            {
                // Not the admin's own id: deactivating them (after promoting another) would end the run's main token.
                c.CoupleId, c.A, c.B, session, assignment, answer.GetProperty("id").GetGuid(), therapist.Id,
                Infrastructure.ExerciseWork.DailyCheckIn, hook.GetProperty("id").GetGuid(), spare.GetProperty("id")
                    .GetGuid(), otherClient,
            };
            var personId = person?["id"]?.GetValue<Guid>() ?? Guid.NewGuid();
            ids.Add(personId);
            return new World(tokens, ids, personId, otherClient);
        }
    }

    /// <summary>Requests from the document: each value valid, near the edge, or wrong.</summary>
    private sealed class Generator(Random random, JsonNode spec, World world)
    {
        private static readonly string[] Words =
        [
            "active", "discharged", "paused", "closed", "scheduled", "completed", "cancelled", "late_cancelled", "no_show",
            "intake", "individual", "couple", "family", "in_person", "video", "phone", "soap", "dap", "free", "subjective",
            "objective", "assessment", "plan", "data", "text", "admin", "therapist", "user", "integration", "client",
            "clients:read", "clients:write", "sessions:write", "fhir:read", "events:read", "webhooks:manage",
            "repeated_small_breaches", "lies_or_secrets", "financial_secrets", "emotional_affair", "physical_affair",
            "hidden_addiction", "repeated_breaches", "other", "breaching", "hurt", "in_recovery", "partner", "private",
            "shared", "mutual_reveal", "therapist_release", "once", "daily", "weekly", "monthly", "both", "partner_a",
            "partner_b", "kept", "partly_kept", "broken", "keep", "adjust", "drop", "nl", "en", "friend", "sponsor",
            "supports", "strains", "mood", "sunny", "need_from_you", "grateful_for", "09:00", "23:59", "24:00", "9:00",
            "client.created", "session.cancelled", "https://ehr.example.org/patient", "http://127.0.0.1:9/hook",
            "https://ehr.example.org/patient|P-1", "", " ", "0", "-1", "null", "x", "\u0000", "ü€😀", "'; DROP TABLE Clients; --",
            "<script>alert(1)</script>", "../../etc/passwd", "%00", "WyJ4IiwieSJd", "W251bGwsbnVsbF0", "0001-01-01", "9999-12-31",
            "2026-02-30", "2026-03-01T10:00:00Z", "9999-12-31T23:59:59Z", "Patient/" + Guid.Empty,
        ];

        // Values a field of that name takes, so that many generated bodies are valid and reach the stores.
        private static readonly Dictionary<string, string[]> Hints = new(StringComparer.OrdinalIgnoreCase)
        {
            ["kind"] = ["intake", "individual", "couple", "family", "user", "integration"],
            ["modality"] = ["in_person", "video", "phone"],
            ["breachType"] = ["emotional_affair", "physical_affair", "hidden_addiction", "lies_or_secrets"],
            ["partnerARole"] = ["breaching", "hurt", "in_recovery", "partner"],
            ["partnerBRole"] = ["breaching", "hurt", "in_recovery", "partner"],
            ["role"] = ["admin", "therapist"],
            ["cadence"] = ["once", "daily", "weekly", "monthly"],
            ["visibility"] = ["private", "shared", "mutual_reveal", "therapist_release"],
            ["respondents"] = ["both", "partner_a", "partner_b", "breaching", "hurt"],
            ["format"] = ["soap", "dap", "free"],
            ["relationship"] = ["friend", "family", "sponsor"],
            ["effect"] = ["supports", "strains", "both"],
            ["rating"] = ["kept", "partly_kept", "broken"],
            ["decision"] = ["keep", "adjust", "drop"],
            ["dueTime"] = ["09:00", "20:30"],
            ["month"] = ["2026-10", "2026-11", "0001-01", "9999-12"],
            ["preferredLanguage"] = ["nl", "en"],
            ["firstName"] = ["Sanne", "Joost"],
            ["lastName"] = ["de Vries", "Bakker"],
            ["email"] = ["sanne@example.org", "not-an-email"],
            ["url"] = ["http://127.0.0.1:9/hook", "https://hooks.example.org/x"],
            ["system"] = ["https://ehr.example.org/patient"],
            ["reason"] = ["Illness", ""],
            ["name"] = ["Ria", "EHR sync"],
            ["status"] = ["active", "discharged", "scheduled", "completed", "cancelled"],
        };

        private readonly JsonNode _schemas = spec["components"]!["schemas"]!;

        public HttpRequestMessage Request(string method, string template, JsonNode operation)
        {
            var path = template;
            foreach (var name in new[] { "{id}", "{personId}" })
            {
                if (path.Contains(name, StringComparison.Ordinal)) path = path.Replace(name,
                    Uri.EscapeDataString(PathValue(name)), StringComparison.Ordinal);
            }

            var query = new List<string>();
            foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
            {
                if (parameter!["in"]!.GetValue<string>() != "query" || random.Next(100) < 45) continue;
                var name = parameter["name"]!.GetValue<string>();
                if (random.Next(20) == 0) name = name.ToLowerInvariant();
                query.Add($"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(Scalar(parameter["schema"]) ?? "")}");
            }

            if (random.Next(25) == 0) query.Add("unknown=1");
            var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()),
                path + (query.Count > 0 ? "?" + string.Join("&", query) : ""));
            var token = world.Tokens.Values.ElementAt(Pick(60, 10, 10, 10, 5, 5));
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (random.Next(8) == 0) request.Headers.TryAddWithoutValidation("Idempotency-Key",
                random.Next(3) == 0 ? "fixed-key" : Guid.NewGuid().ToString());
            if (random.Next(10) == 0) request.Headers.TryAddWithoutValidation("If-Match",
                random.Next(2) == 0 ? "\"1\"" : Word());

            if (operation["requestBody"]?["content"]?["application/json"]?["schema"] is { } schema)
            {
                request.Content = random.Next(20) switch
                {
                    0 => new StringContent("{\"firstName\": ", Encoding.UTF8, "application/json"),
                    1 => new StringContent("", Encoding.UTF8, "application/json"),
                    2 => new StringContent("<client/>", Encoding.UTF8, "application/xml"),
                    3 => new StringContent("[1,2,3]", Encoding.UTF8, "application/json"),
                    _ => new StringContent(Value(schema, 0)?.ToJsonString() ?? "null", Encoding.UTF8,
                        "application/json"),
                };
            }

            return request;
        }

        private string PathValue(string name) => Pick(70, 10, 10, 10) switch
        {
            0 => (name == "{personId}"
                && random.Next(2) == 0 ? world.PersonId : world.Ids[random.Next(world.Ids.Count)]).ToString(),
            1 => Guid.NewGuid().ToString(),
            2 => world.OtherPracticeClient.ToString(),
            _ => PathWord(),
        };

        // A NUL in a path never reaches the app (Kestrel answers 400 itself; the test server throws).
        private string PathWord()
        {
            var word = Word();
            return word.Contains('\0') || word.Contains("%00", StringComparison.Ordinal) ? "x" : word;
        }

        private int Pick(params int[] weights)
        {
            var roll = random.Next(weights.Sum());
            for (var i = 0; i < weights.Length; i++)
            {
                if ((roll -= weights[i]) < 0) return i;
            }

            return weights.Length - 1;
        }

        private string Word() => Words[random.Next(Words.Length)];

        private JsonNode Resolve(JsonNode schema) =>
            schema["$ref"]?.GetValue<string>() is { } reference ? Resolve(_schemas[reference.Split('/')[^1]]!) : schema;

        private string[] Types(JsonNode schema) => schema["type"] switch
        {
            JsonArray many => many.Select(t => t!.GetValue<string>()).ToArray(),
            JsonValue one => [one.GetValue<string>()],
            _ => schema["oneOf"] is JsonArray ? ["oneOf"] : schema["properties"] is not null ? ["object"] : ["string"],
        };

        private string? Scalar(JsonNode? schema) => schema is null ? Word() : Value(schema, 3) switch
        {
            null => "",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            var node => node.ToJsonString(),
        };

        private JsonNode? Value(JsonNode schema, int depth)
        {
            schema = Resolve(schema);
            if (random.Next(30) == 0) return random.Next(2) == 0 ? null : JsonValue.Create(Word());
            if (schema["enum"] is JsonArray closed && closed.Count > 0
                && random.Next(10) < 8) return closed[random.Next(closed.Count)]?.DeepClone();
            var types = Types(schema);
            var type = types[random.Next(types.Length)];
            return type switch
            {
                "null" => null,
                "oneOf" => Value(schema["oneOf"]!.AsArray()[random.Next(schema["oneOf"]!.AsArray().Count)]!, depth),
                "integer" or "number" => Number(),
                "boolean" => random.Next(6) == 0 ? JsonValue.Create("true") : JsonValue.Create(random.Next(2) == 0),
                "array" => Array(schema, depth),
                "object" => Object(schema, depth),
                _ => JsonValue.Create(Text(schema["format"]?.GetValue<string>())),
            };
        }

        private JsonNode Number() => Pick(40, 10, 10, 10, 10, 10, 10) switch
        {
            0 => JsonValue.Create(random.Next(0, 60)),
            1 => JsonValue.Create(-1),
            2 => JsonValue.Create(int.MaxValue),
            3 => JsonValue.Create(int.MinValue),
            4 => JsonNode.Parse("1e30")!,
            5 => JsonValue.Create(2.5),
            _ => JsonValue.Create(random.Next(199, 202)),
        };

        private string Text(string? format)
        {
            var today = DateTime.UtcNow.Date;
            return format switch
            {
                "uuid" => Pick(70, 15, 15) switch
                {
                    0 => world.Ids[random.Next(world.Ids.Count)].ToString(),
                    1 => Guid.NewGuid().ToString(),
                    _ => Word(),
                },
                "date" => Pick(60, 20, 20) switch
                {
                    0 => DateOnly.FromDateTime(today.AddDays(random.Next(-400, 400))).ToString("yyyy-MM-dd",
                        CultureInfo.InvariantCulture),
                    1 => random.Next(2) == 0 ? "0001-01-01" : "9999-12-31",
                    _ => Word(),
                },
                "date-time" => Pick(60, 20, 20) switch
                {
                    0 => today.AddHours(random.Next(-9000, 9000)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'",
                        CultureInfo.InvariantCulture),
                    1 => random.Next(2) == 0 ? "0001-01-01T00:00:00Z" : "9999-12-31T23:59:59Z",
                    _ => Word(),
                },
                _ => Pick(80, 10, 10) switch
                {
                    0 => Word(),
                    1 => new string('a', random.Next(2) == 0 ? 256 : 25_000),
                    _ => Word() + " " + Word(),
                },
            };
        }

        private JsonArray Array(JsonNode schema, int depth)
        {
            var array = new JsonArray();
            if (depth > 4) return array;
            var count = Pick(20, 50, 20, 10) switch { 0 => 0, 1 => random.Next(1, 4), 2 => random.Next(4,
                12), _ => random.Next(20, 60) };
            for (var i = 0; i < count; i++) array.Add(schema["items"] is { } items ? Value(items,
                depth + 1) : JsonValue.Create(Word()));
            return array;
        }

        private JsonObject Object(JsonNode schema, int depth)
        {
            var result = new JsonObject();
            if (depth > 4) return result;
            foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
            {
                if (random.Next(100) >= 88) continue;
                result[name] = Hints.TryGetValue(name, out var hints) && random.Next(10) < 7
                    ? JsonValue.Create(hints[random.Next(hints.Length)])
                    : Value(property!, depth + 1);
            }

            if (schema["additionalProperties"] is JsonObject values)
            {
                for (var i = random.Next(0,
                    4); i > 0; i--) result[Word() is { Length: > 0 } key ? key : "k"] = Value(values, depth + 1);
            }

            if (random.Next(15) == 0) result["unexpected"] = JsonValue.Create(Word());
            return result;
        }
    }
}
