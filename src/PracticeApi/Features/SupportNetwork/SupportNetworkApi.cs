using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PracticeApi.Features.SupportNetwork;

/// <param name="Relationship">family, friend, colleague, sponsor, support_group, professional or other.</param>
/// <param name="Effect">Whether the relationship supports recovery, strains it, or both.</param>
/// <param name="Expectations">What the client asks of this person.</param>
/// <param name="MayContact">Whether the practice may contact this person (the client's consent).</param>
/// <param name="Name">The person's name or a description of the group.</param>
/// <param name="Contact">How to reach them (phone or e-mail), if the practice may contact them.</param>
public sealed record SupportPersonRequest(string Name, Relationship Relationship, Effect Effect, string? Expectations, bool MayContact, string? Contact);

/// <summary>How a person in the support network relates to the client.</summary>
public enum Relationship { Family, Friend, Colleague, Sponsor, SupportGroup, Professional, Other }

/// <summary>What a relationship means for the client's recovery.</summary>
public enum Effect { Supports, Strains, Both }

/// <param name="Id">The person's id.</param>
/// <param name="ClientId">The client whose network it is.</param>
/// <param name="Name">The person's name or a description of the group.</param>
/// <param name="Relationship">How they relate to the client.</param>
/// <param name="Effect">supports, strains or both: what they mean for the client's recovery.</param>
/// <param name="Expectations">What the client expects of them.</param>
/// <param name="MayContact">Whether the practice may contact them.</param>
/// <param name="Contact">How to reach them.</param>
/// <param name="Version">The concurrency version; send it as If-Match to change it.</param>
/// <param name="CreatedAt">When (UTC).</param>
/// <param name="UpdatedAt">When it last changed (UTC).</param>
public sealed record SupportPersonResponse(
    Guid Id, Guid ClientId, string Name, string Relationship, string Effect, string? Expectations, bool MayContact, string? Contact,
    int Version, DateTime CreatedAt, DateTime UpdatedAt);

internal sealed class SupportPersonValidator : AbstractValidator<SupportPersonRequest>
{

    public SupportPersonValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Expectations).MaximumLength(2000);
        RuleFor(r => r.Contact).MaximumLength(320);
        RuleFor(r => r.Contact).Null().When(r => !r.MayContact).WithMessage("keep no contact details for someone the practice may not contact.");
    }
}

internal sealed record SupportPersonRow
{
    public Guid Id { get; init; }
    public Guid ClientId { get; init; }
    public string Name { get; init; } = "";
    public string Relationship { get; init; } = "";
    public string Effect { get; init; } = "";
    public string? Expectations { get; init; }
    public bool MayContact { get; init; }
    public string? Contact { get; init; }
    public int Version { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime UpdatedAt { get; init; }

    public SupportPersonResponse ToResponse() => new(Id, ClientId, Name, Relationship, Effect, Expectations, MayContact, Contact, Version, CreatedAt, UpdatedAt);
}

/// <summary>The people around a client in recovery (seed 002), kept with the client's record by the care team.</summary>
internal sealed class SupportNetworkStore(Db db, AuditLog audit, PracticeCalendar calendar)
{
    internal const string Columns = "Id, ClientId, Name, Relationship, Effect, Expectations, MayContact, Contact, Version, CreatedAt, UpdatedAt";

    private static readonly string ListSql = $"""
        SELECT {Columns} FROM SupportPeople WHERE PracticeId = @PracticeId AND ClientId = @ClientId AND Id > @After
        ORDER BY Id {SqlDialect.Limit}
        """;

    private const string GetSql = $"SELECT {Columns} FROM SupportPeople WHERE Id = @Id AND PracticeId = @PracticeId AND ClientId = @ClientId";

    private const string InsertSql = """
        INSERT INTO SupportPeople (Id, PracticeId, ClientId, Name, Relationship, Effect, Expectations, MayContact, Contact, Version, CreatedAt, UpdatedAt)
        VALUES (@Id, @PracticeId, @ClientId, @Name, @Relationship, @Effect, @Expectations, @MayContact, @Contact, 1, @Now, @Now)
        """;

    private const string UpdateSql = """
        UPDATE SupportPeople SET Name = @Name, Relationship = @Relationship, Effect = @Effect, Expectations = @Expectations, MayContact = @MayContact,
               Contact = @Contact, Version = Version + 1, UpdatedAt = @Now
        WHERE Id = @Id AND PracticeId = @PracticeId AND ClientId = @ClientId AND Version = @Expected
        """;

    private const string DeleteSql = "DELETE FROM SupportPeople WHERE Id = @Id AND PracticeId = @PracticeId AND ClientId = @ClientId";

    public async Task<Outcome<Page<SupportPersonResponse>>> ListAsync(Caller caller, Guid clientId, IdPageQuery query, CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        List<SupportPersonRow> rows;
        await using (var c = await db.BeginReadAsync(ct))
        {
            if (!await CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
            rows = await c.QueryAsync<SupportPersonRow>(ListSql, new
            {
                caller.PracticeId, ClientId = clientId, After = Cursor.After(query.Cursor), Limit = limit + 1,
            });
        }

        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "support_network", clientId, [clientId]), ct);
        return Cursor.ToPage(rows, limit, r => [r.Id.ToString()], r => r.ToResponse());
    }

    public Task<Outcome<SupportPersonResponse>> AddAsync(Caller caller, Guid clientId, SupportPersonRequest request, CancellationToken ct) =>
        WriteAsync(caller, clientId, EntityIds.New(), request, null, AuditActions.Create, ct);

    public Task<Outcome<SupportPersonResponse>> UpdateAsync(Caller caller, Guid clientId, Guid personId, SupportPersonRequest request, int? expected, CancellationToken ct) =>
        WriteAsync(caller, clientId, personId, request, expected, AuditActions.Update, ct);

    public async Task<Failure?> DeleteAsync(Caller caller, Guid clientId, Guid personId, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (!await CareRules.ClientVisibleAsync(c, caller, clientId)) return Failure.NotFound("client");
        var deleted = await c.ExecuteAsync(DeleteSql, new { Id = personId, caller.PracticeId, ClientId = clientId });
        if (deleted == 0) return Failure.NotFound("person in this client's support network");
        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Delete, "support_person", personId, [clientId]));
        await c.CommitAsync();
        return null;
    }

    private async Task<Outcome<SupportPersonResponse>> WriteAsync(Caller caller, Guid clientId, Guid personId, SupportPersonRequest request, int? expected,
        string action, CancellationToken ct)
    {
        await using var c = await db.BeginWriteAsync(ct);
        if (await CareRules.CheckWritableAsync(c, caller, clientId) is { } unwritable) return unwritable;
        var key = new { Id = personId, caller.PracticeId, ClientId = clientId };
        if (action == AuditActions.Update)
        {
            var current = await c.QuerySingleOrDefaultAsync<SupportPersonRow>(GetSql, key);
            if (current is null) return Failure.NotFound("person in this client's support network");
            if (expected is not null && expected != current.Version) return Failure.Stale;
            expected = current.Version;
        }

        await c.ExecuteAsync(action == AuditActions.Create ? InsertSql : UpdateSql, new
        {
            Id = personId, caller.PracticeId, ClientId = clientId, Name = request.Name.Trim(), Relationship = request.Relationship.Wire(), Effect = request.Effect.Wire(),
            Expectations = request.Expectations?.Trim(), request.MayContact, Contact = request.Contact?.Trim(), calendar.Now, Expected = expected,
        });
        await audit.WriteAsync(c, caller, new AuditEntry(action, "support_person", personId, [clientId]));
        var row = await c.QuerySingleAsync<SupportPersonRow>(GetSql, key);
        await c.CommitAsync();
        return row.ToResponse();
    }
}

public static class SupportNetworkApi
{
    public static IEndpointRouteBuilder MapSupportNetwork(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/clients/{id:guid}/support-network").WithTags("Support network").RequireAuthorization(Policies.Staff);

        group.MapGet("/", async (Guid id, [AsParameters] IdPageQuery query, Caller caller, SupportNetworkStore store, CancellationToken ct) =>
                (await store.ListAsync(caller, id, query, ct)).ToOk())
            .WithName("ListSupportNetwork").WithSummary("The people in a client's life and how each affects recovery.")
            .Validate<IdPageQuery>().ProducesProblems(404);
        group.MapPost("/", async (Guid id, SupportPersonRequest request, Caller caller, SupportNetworkStore store, CancellationToken ct) =>
                (await store.AddAsync(caller, id, request, ct)).ToCreated(p => $"/api/v1/clients/{id}/support-network/{p.Id}"))
            .WithName("AddSupportPerson").WithExample(SupportNetworkExamples.AddSupportPerson).WithSummary("Add a person to the client's support network.")
            .Validate<SupportPersonRequest>().ProducesProblems(404);
        group.MapPut("/{personId:guid}", async (Guid id, Guid personId, SupportPersonRequest request, IfMatch ifMatch, Caller caller, SupportNetworkStore store,
                    HttpContext http, CancellationToken ct) =>
                (await store.UpdateAsync(caller, id, personId, request, ifMatch.ExpectedVersion, ct)).ToOk(http, p => p.Version))
            .WithName("UpdateSupportPerson").WithExample(SupportNetworkExamples.UpdateSupportPerson).WithSummary("Change a person in the support network (If-Match).")
            .Validate<SupportPersonRequest>().ProducesProblems(404, 412);
        group.MapDelete("/{personId:guid}", async Task<Results<NoContent, ProblemHttpResult>> (Guid id, Guid personId, Caller caller, SupportNetworkStore store, CancellationToken ct) =>
                await store.DeleteAsync(caller, id, personId, ct) is { } failure ? failure.ToProblem() : TypedResults.NoContent())
            .WithName("RemoveSupportPerson").WithExample(SupportNetworkExamples.RemoveSupportPerson).WithSummary("Remove a person from the support network.").ProducesProblems(404);
        return routes;
    }
}
