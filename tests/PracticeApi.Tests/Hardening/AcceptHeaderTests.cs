using System.Text.Json;
using System.Text.Json.Nodes;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Hardening;

/// <summary>
/// Every operation of the OpenAPI document, with an Accept header that excludes JSON, signed in and not: a 406 problem
/// under /api (FHIR answers with an OperationOutcome), never an empty 500.
/// </summary>
public sealed class AcceptHeaderTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    private static readonly JsonNode Spec = JsonNode.Parse(File.ReadAllText(RepoFiles.PathTo("api-spec",
        "openapi.json")))!;

    [Fact]
    public async Task A_request_that_refuses_json_gets_406_or_a_json_answer_on_every_route_never_a_500()
    {
        var practice = await api.NewPracticeAsync();
        var operations = Spec["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(m => m.Key is "get" or "post" or "put" or "patch" or "delete")
                .Select(m => (Path: p.Key, Method: m.Key,
                    Offered: m.Value!["responses"]?["200"]?["content"]?.AsObject().Select(c => c.Key).ToHashSet()
                        ?? new HashSet<string>())))
            .ToList();
        Assert.True(operations.Count > 100);
        foreach (var token in new[] { practice.AdminToken, null })
        {
            foreach (var accept in new[] { "text/html", "application/xml", "application/json;q=0, text/plain" })
            {
                foreach (var (path, method, offered) in operations)
                {
                    var url = System.Text.RegularExpressions.Regex.Replace(path, "\\{[^}]+\\}", Guid.NewGuid()
                        .ToString());
                    using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
                    request.Headers.TryAddWithoutValidation("Accept", accept);
                    if (method is "post" or "put" or "patch") request.Content = new StringContent("{}",
                        System.Text.Encoding.UTF8, "application/json");
                    var response = await api.ClientWith(token).SendAsync(request);
                    var status = (int)response.StatusCode;
                    var body = await response.Content.ReadAsStringAsync();
                    Assert.True(status < 500, $"{method} {path} with Accept {accept}: {status} {body}");
                    if (offered.Contains(accept))
                    {
                        // An endpoint that also answers in this type (an invoice's page or UBL) takes the request; its
                        // errors are problem documents all the same.
                        Assert.True(status is 401 or 403 or 404, $"{method} {path} with Accept {accept}: {status}");
                        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    }
                    else if (url.StartsWith("/api/", StringComparison.Ordinal) || url.StartsWith("/.well-known",
                        StringComparison.Ordinal))
                    {
                        Assert.True(status == 406, $"{method} {path} with Accept {accept}: {status}");
                        var problem = JsonDocument.Parse(body).RootElement;
                        Assert.EndsWith("/not-acceptable", problem.GetProperty("type").GetString());
                    }
                    else if (status >= 400)
                    {
                        Assert.NotEmpty(body);
                    }
                }
            }
        }
    }
}
