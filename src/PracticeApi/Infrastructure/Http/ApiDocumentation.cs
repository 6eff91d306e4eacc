using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace PracticeApi.Infrastructure.Http;

public static class ApiDocumentation
{
    /// <summary>The OAuth 2.0 security scheme of SMART Backend Services (an alternative to the bearer token on
    /// /fhir).</summary>
    public const string SmartScheme = "SmartBackendServices";

    /// <summary>True while the build generates api-spec/openapi.json: startup side effects are skipped then.</summary>
    public static bool IsGeneratingDocument =>
        Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services)
    {
        services.AddOpenApi("v1", o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "PracticeApi",
                    Version = "v1",
                    Description = "Clients, couples, sessions and trust-repair exercises for relationship therapists and " +
                                  "addiction counsellors. Authenticate with an opaque bearer token (or, for EHRs, a SMART Backend Services access " +
                                  "token). Errors are RFC 9457 problems (application/problem+json; OperationOutcome under /fhir), including " +
                                  "the ones no single operation can declare: 404 for a path that does not exist, and 405 method-not-allowed " +
                                  "with an Allow header for a method a path does not offer. Request examples name the demo practice's records.",
                    License = new OpenApiLicense { Name = "Proprietary: licensed to the practice that runs it", Identifier = "LicenseRef-PracticeApi-Proprietary" },
                };
                // Relative: the API is self-hosted, so the server is wherever this document was fetched from.
                document.Servers =
                [
                    new OpenApiServer
                    {
                        Url = "/", Description = "The host that serves this document: local (dotnet run), staging or production",
                        Extensions = new Dictionary<string, IOpenApiExtension> { ["x-internal"] = new JsonNodeExtension(
                            System.Text.Json.Nodes.JsonValue.Create(false)) },
                    },
                ];
                // Tags in reading order, each with what it covers.
                document.Tags = new HashSet<OpenApiTag>(Tags.Select(t => new OpenApiTag { Name = t.Name,
                    Description = t.Description }));
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An opaque API token (pa_…): Authorization: Bearer <token>.",
                };
                document.Components.SecuritySchemes[SmartScheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.OAuth2,
                    Description = "SMART Backend Services: OAuth 2.0 client credentials, the client authenticating with a signed JWT " +
                                  "assertion (private_key_jwt, RS384 or ES384) checked as RFC8725 (JSON Web Token Best Current " +
                                  "Practices) asks: one explicit algorithm per key, exact audience, kid required, no jku but the " +
                                  "registered one. The access token lives five minutes; client credentials have no refresh token, a " +
                                  "client signs a new assertion instead. Discovery at /.well-known/smart-configuration.",
                    Flows = new OpenApiOAuthFlows
                    {
                        ClientCredentials = new OpenApiOAuthFlow
                        {
                            TokenUrl = new Uri("/oauth/token", UriKind.Relative),
                            Scopes = new Dictionary<string, string>
                            {
                                ["system/*.rs"] = "Read and search every FHIR type (SMART v2; system/*.read in v1).",
                                ["system/Patient.rs"] = "Read and search Patients only (one scope per type: Appointment, Questionnaire, ...).",
                            },
                        },
                    },
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer(DocumentFormBodies);
            o.AddOperationTransformer(DocumentAuthAndProblems);
            o.AddOperationTransformer(OperationDescriptions.DescribeAsync);
            o.AddDocumentTransformer(SchemaDescriptions.CompleteAsync);
            o.AddDocumentTransformer(ExampleDocumentation.AddExamplesAsync);
        });
        return services;
    }

    private static readonly (string Name, string Description)[] Tags =
    [
        ("Clients",
            "People in care: details, external identifiers (EHR), care team, discharge; each therapist sees their caseload."),
        ("Couples",
            "Two clients and their repair case: breach, roles, the seven repair steps, breaches and safety screenings."),
        ("Sessions",
            "Appointments without double booking, single or as a weekly series: schedule, reschedule, complete with a note, sign the note and add addenda, cancel or mark a no-show."),
        ("Record governance",
            "The record under the law: erasure requests and their decision (AVG art. 17, WGBO art. 7:455) and records due for destruction after 20 years (WGBO art. 7:454)."),
        ("Exercise templates",
            "The bilingual exercise catalogue (built in) and the practice's own templates, versioned."),
        ("Programs",
            "Ordered plans of exercises along the repair steps (built in: after infidelity, after a hidden addiction; and the practice's own, versioned), and the couples following them."),
        ("Assignments",
            "Exercises given to a client or couple, their occurrences and responses, and the therapist's review."),
        ("Client portal",
            "What a partner sees and answers with a portal token: their own assignments, the other's answers as allowed, and who accessed their record."),
        ("Repair work", "A couple's trust contract, trigger plan, trigger episodes and milestones."),
        ("Progress and alerts",
            "Adherence, streaks, moods and triggers per couple, and what needs the therapist's attention."),
        ("Support network",
            "The people around a client in recovery and how they help or strain, and the client's recovery log as the care team sees it."),
        ("Therapists", "The practice's therapists and admins (admins only)."),
        ("Tokens", "Bearer tokens for therapists and integrations; shown once, stored as a hash (admins only)."),
        ("Me", "Who the current token is."),
        ("Audit", "The append-only audit trail of every read and change of client data (admins only)."),
        ("Webhooks",
            "Signed webhooks (Standard Webhooks), their deliveries, and the change feed for EHR integrations."),
        ("FHIR R4",
            "A FHIR R4 read API over the same data and rules: Patient, RelatedPerson, Appointment, Questionnaire, QuestionnaireResponse, Task, CarePlan, Invoice, Consent, Observation."),
        ("SMART Backend Services",
            "Server-to-server access for EHRs with a signed JWT assertion (private_key_jwt) instead of an opaque token."),
        ("Health", "Liveness and readiness for load balancers."),
    ];

    /// <summary>
    /// A form body the handler reads itself (<see cref="FormBody"/>): documented as the form's schema, without the
    /// routing constraint <c>Accepts</c> would add (a request in another content type reaches the handler, which
    /// answers it).
    /// </summary>
    private static async Task DocumentFormBodies(OpenApiOperation operation,
        OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<FormBody>()
            .FirstOrDefault() is not { } form) return;
        var name = form.Type.Name;
        context.Document!.Components ??= new OpenApiComponents();
        context.Document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!context.Document.Components.Schemas.ContainsKey(name))
        {
            context.Document.Components.Schemas[name] = await context.GetOrCreateSchemaAsync(form.Type, null, ct);
        }

        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { [form.ContentType] = new() { Schema = new OpenApiSchemaReference(name, context.Document) } },
        };
    }

    private static Task DocumentAuthAndProblems(OpenApiOperation operation, OpenApiOperationTransformerContext context,
        CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= new OpenApiResponses();
        if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference("Bearer", context.Document)] = [],
            });
            // FHIR also takes a SMART Backend Services access token (an alternative requirement).
            if (context.Description.RelativePath?.StartsWith("fhir", StringComparison.Ordinal) == true)
            {
                operation.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(SmartScheme, context.Document)] = ["system/*.rs"],
                });
            }
            AddProblem(operation, "401", "No valid bearer token.");
            AddProblem(operation, "403", "The token's role or scopes do not allow this action.");
            AddProblem(operation, "429", "Rate limited: retry after the Retry-After header's seconds.");
        }

        if (context.Description.HttpMethod is "POST" or "PUT" && metadata.OfType<IAuthorizeData>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyMiddleware.Header,
                In = ParameterLocation.Header,
                Required = false,
                Description = "Makes a retry safe: the same key with the same body returns the first response; kept 24 hours.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 },
            });
            AddProblem(operation, "409",
                "Conflict (for an Idempotency-Key: the first request with this key is still running).");
            AddProblem(operation, "422", "The Idempotency-Key was used before with a different request.");
        }

        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            // Public by design (health, discovery, the OAuth token endpoint, FHIR's CapabilityStatement): no security
            // requirement.
            operation.Security = [];
            AddProblem(operation, "429", "Rate limited (per address): retry after the Retry-After header's seconds.");
        }

        if (operation.RequestBody is not null)
        {
            AddProblem(operation, "413", "The request body is larger than 1 MB.");
            if (!metadata.OfType<FormBody>().Any()) AddProblem(operation, "415",
                "The body is not JSON (send Content-Type: application/json).");
        }

        AddProblem(operation, "500", "Unexpected server error (no details leave the server).");
        if (context.Description.RelativePath?.StartsWith("fhir",
            StringComparison.Ordinal) == true) AsOperationOutcomes(operation);
        return Task.CompletedTask;
    }

    /// <summary>Under /fhir every error is an OperationOutcome (application/fhir+json), not a problem
    /// document.</summary>
    private static void AsOperationOutcomes(OpenApiOperation operation)
    {
        foreach (var (status, response) in operation.Responses!.ToList())
        {
            if (status.StartsWith('2') || response is not OpenApiResponse concrete) continue;
            concrete.Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/fhir+json"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Description = "A FHIR R4 OperationOutcome.",
                        Required = new HashSet<string> { "resourceType", "issue" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["resourceType"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [System.Text.Json.Nodes.JsonValue.Create("OperationOutcome")] },
                            ["issue"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.Object } },
                        },
                    },
                },
            };
        }
    }

    private static void AddProblem(OpenApiOperation operation, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status)) return;
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference("ProblemDetails") },
            },
        };
    }

    private static readonly PathString SwaggerPath = "/swagger";

    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous().DisableRateLimiting();
        // Swagger UI's middleware matches every request's path against its regular expressions: only /swagger reaches
        // it.
        app.UseWhen(context => context.Request.Path.StartsWithSegments(SwaggerPath), ui => ui.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "PracticeApi v1");
            o.RoutePrefix = SwaggerPath.Value![1..];
            o.DocumentTitle = "PracticeApi";
            o.EnablePersistAuthorization();
        }));
        return app;
    }

    /// <summary>Declares the problems an endpoint can answer besides the ones every endpoint has.</summary>
    public static RouteHandlerBuilder ProducesProblems(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses) builder.ProducesProblem(status);
        return builder;
    }
}

/// <summary>Endpoint metadata: the request body is this form type, read by the handler itself (documented, not enforced
/// by routing).</summary>
public sealed record FormBody(Type Type, string ContentType = "application/x-www-form-urlencoded");
