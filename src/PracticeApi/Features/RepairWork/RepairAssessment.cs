using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using PracticeApi.Features.Couples;

namespace PracticeApi.Features.RepairWork;

/// <summary>A sign to look for, with its key.</summary>
/// <param name="Key">The sign's key.</param>
/// <param name="Text">The sign in English and Dutch.</param>
public sealed record AssessmentSign(string Key, LocalizedText Text);

/// <summary>The signs of trust that is damaged but repairable, and of trust that may be past repair (seed 003), and the question to ask.</summary>
/// <param name="Repairable">Signs that trust can be repaired.</param>
/// <param name="Irreparable">Signs that trust is past repair.</param>
/// <param name="Question">The question for the therapist.</param>
public sealed record AssessmentSigns(IReadOnlyList<AssessmentSign> Repairable, IReadOnlyList<AssessmentSign> Irreparable, LocalizedText Question);

/// <param name="PartnerId">A partner of the couple.</param>
/// <param name="Answer">love_and_hope, fear_and_obligation or unclear: why this partner works on the relationship, as the therapist sees it.</param>
public sealed record PartnerMotivation(Guid PartnerId, string Answer);

/// <summary>The therapist's judgement of a couple's repair: repairable, uncertain, or time to consider letting go.</summary>
public enum Outlook { Repairable, Uncertain, ConsiderLettingGo }

/// <param name="RepairableSigns">Keys of the repairable signs the therapist sees now.</param>
/// <param name="IrreparableSigns">Keys of the signs of trust past repair the therapist sees now.</param>
/// <param name="Motivations">Per partner, if assessed: working on it from love and hope, or from fear and obligation.</param>
/// <param name="Outlook">The therapist's judgement: repairable, uncertain or consider_letting_go. Never computed from the signs.</param>
/// <param name="AssessedOn">The day of the assessment (default today).</param>
/// <param name="Note">The therapist's note (at most 2,000 characters).</param>
public sealed record RepairAssessmentRequest(
    IReadOnlyList<string> RepairableSigns, IReadOnlyList<string> IrreparableSigns, IReadOnlyList<PartnerMotivation>? Motivations, Outlook Outlook,
    string? Note, DateOnly? AssessedOn);

/// <param name="Id">The assessment's id.</param>
/// <param name="CoupleId">The couple.</param>
/// <param name="AssessedOn">The day of the assessment.</param>
/// <param name="RepairableSigns">The repairable signs seen.</param>
/// <param name="IrreparableSigns">The signs of trust past repair seen.</param>
/// <param name="Motivations">Per partner, why they work on the relationship.</param>
/// <param name="Outlook">The therapist's outlook: repairable, uncertain or consider_letting_go.</param>
/// <param name="Note">The therapist's note.</param>
/// <param name="AssessedBy">The therapist.</param>
/// <param name="CreatedAt">When it was recorded (UTC).</param>
public sealed record RepairAssessmentResponse(
    Guid Id, Guid CoupleId, DateOnly AssessedOn, IReadOnlyList<string> RepairableSigns, IReadOnlyList<string> IrreparableSigns,
    IReadOnlyList<PartnerMotivation> Motivations, string Outlook, string? Note, Guid? AssessedBy, DateTime CreatedAt);

/// <summary>Example lines for a trust contract and steps for a trigger plan, to start from and make the couple's own.</summary>
/// <param name="Area">The area of life the agreement covers.</param>
/// <param name="Agreement">The suggested agreement.</param>
/// <param name="Measure">How keeping it could be seen.</param>
public sealed record ContractSuggestion(LocalizedText Area, LocalizedText Agreement, LocalizedText Measure);

/// <param name="MySteps">Suggestions for the steps a partner takes when triggered.</param>
/// <param name="WhatIAskOfYou">Suggestions for what to ask of the other partner.</param>
/// <param name="WhenYouAreTriggered">Suggestions for helping when the other partner is triggered.</param>
public sealed record TriggerPlanSuggestions(
    IReadOnlyList<LocalizedText> MySteps, IReadOnlyList<LocalizedText> WhatIAskOfYou, IReadOnlyList<LocalizedText> WhenYouAreTriggered);

/// <param name="TrustContract">Agreements to consider for the trust contract.</param>
/// <param name="TriggerPlan">Ideas for each partner's trigger plan.</param>
/// <param name="Reminder">A reminder for the therapist.</param>
public sealed record RepairSuggestions(IReadOnlyList<ContractSuggestion> TrustContract, TriggerPlanSuggestions TriggerPlan, LocalizedText Reminder);

public static class RepairGuidance
{
    private static LocalizedText L(string en, string nl) => new(en, nl);

    public static readonly AssessmentSigns Signs = new(
        [
            new("both_want_repair", L("Both partners sincerely want to work on repair", "Beide partners willen echt aan herstel werken")),
            new("full_responsibility", L("The partner who broke the trust takes full responsibility", "De partner die het vertrouwen schond, neemt de volle verantwoordelijkheid")),
            new("no_abuse_or_danger", L("There is no abuse and no danger", "Er is geen misbruik en geen gevaar")),
            new("love_remains", L("There is still love beneath the hurt", "Onder de pijn is er nog liefde")),
            new("can_communicate", L("They can talk constructively, with help", "Ze kunnen, met hulp, constructief met elkaar praten")),
            new("progress_visible", L("Some progress shows, however small", "Er is vooruitgang te zien, hoe klein ook")),
        ],
        [
            new("repeated_breaches_no_change", L("Breaches keep recurring without real change", "Breuken blijven terugkomen zonder echte verandering")),
            new("no_responsibility", L("No willingness to take responsibility or to be open", "Geen bereidheid tot verantwoordelijkheid of openheid")),
            new("abuse", L("Physical, emotional or sexual abuse", "Fysiek, emotioneel of seksueel misbruik")),
            new("emotional_distance", L("Complete emotional distance: no love left", "Volledige emotionele afstand: geen liefde meer")),
            new("values_mismatch", L("A fundamental mismatch of values, for example about having children", "Een fundamenteel verschil in waarden, bijvoorbeeld over kinderen")),
            new("untreated_addiction", L("An addiction that is not being worked on", "Een verslaving waar niet aan gewerkt wordt")),
            new("ongoing_unsafety", L("A lasting sense of being unsafe", "Een blijvend gevoel van onveiligheid")),
        ],
        L("Is each of them working on this relationship out of love and hope, or out of fear and obligation?",
          "Werkt ieder van hen aan deze relatie uit liefde en hoop, of uit angst en verplichting?"));

    public static readonly RepairSuggestions Suggestions = new(
        [
            new(L("Communication", "Communicatie"), L("A check-in together every evening at eight", "Elke avond om acht uur samen inchecken"),
                L("Did it happen every day this month?", "Is het deze maand elke dag gebeurd?")),
            new(L("Openness", "Openheid"), L("Phones are open to each other and passwords are shared", "Telefoons zijn open voor elkaar en wachtwoorden zijn gedeeld"),
                L("Can I always ask, without a fight?", "Kan ik het altijd vragen, zonder ruzie?")),
            new(L("Social contacts", "Sociale contacten"), L("Plans with an ex or old friends are talked over together first", "Afspraken met een ex of oude vrienden bespreken we eerst samen"),
                L("Is it raised before, not found out after?", "Wordt het vooraf verteld, niet achteraf ontdekt?")),
            new(L("Time", "Tijd"), L("Coming home after ten means a call beforehand", "Later dan tien uur thuis betekent vooraf bellen"),
                L("Was there a call every time?", "Is er elke keer gebeld?")),
            new(L("Therapy", "Therapie"), L("A couple session every two weeks until we both feel it is better", "Elke twee weken een relatiesessie, tot we allebei voelen dat het beter gaat"),
                L("Did we go?", "Zijn we gegaan?")),
            new(L("Closeness", "Nabijheid"), L("At least once a week, time together without phones", "Minstens één keer per week tijd samen zonder telefoons"),
                L("Did it work out this week?", "Is het deze week gelukt?")),
        ],
        new(
            [
                L("Take five slow breaths", "Adem vijf keer rustig in en uit"),
                L("Name the feeling: \"I feel panic, anger or fear\"", "Benoem het gevoel: \"Ik voel paniek, woede of angst\""),
                L("Say what you need: \"I need reassurance\"", "Zeg wat je nodig hebt: \"Ik heb geruststelling nodig\""),
            ],
            [
                L("Meet me with understanding: \"That makes sense. I am here.\"", "Reageer met begrip: \"Dat is logisch. Ik ben er.\""),
            ],
            [
                L("Stop what I am doing and give you my full attention", "Stoppen met wat ik doe en je volle aandacht geven"),
                L("Stay out of defending myself", "Niet in de verdediging schieten"),
                L("Ask: \"What do you need from me now?\"", "Vragen: \"Wat heb je nu van mij nodig?\""),
                L("Give what is needed: room, a hug, a talk or reassurance", "Geven wat nodig is: ruimte, een knuffel, een gesprek of geruststelling"),
            ]),
        L("Agreements are temporary guard rails while trust grows back, not a permanent cage: review them regularly.",
          "Afspraken zijn tijdelijke vangrails terwijl het vertrouwen terugkomt, geen blijvende kooi: bespreek regelmatig of ze nog nodig zijn."));

    public static readonly string[] MotivationAnswers = ["love_and_hope", "fear_and_obligation", "unclear"];
}

internal sealed class RepairAssessmentValidator : AbstractValidator<RepairAssessmentRequest>
{
    public RepairAssessmentValidator(PracticeCalendar calendar)
    {
        var repairable = RepairGuidance.Signs.Repairable.Select(s => s.Key).ToHashSet();
        var irreparable = RepairGuidance.Signs.Irreparable.Select(s => s.Key).ToHashSet();
        RuleFor(r => r.RepairableSigns).NotNull().Must(s => s is null || (s.All(repairable.Contains) && s.Distinct().Count() == s.Count))
            .WithMessage($"repairableSigns are distinct keys from: {string.Join(", ", repairable)}.");
        RuleFor(r => r.IrreparableSigns).NotNull().Must(s => s is null || (s.All(irreparable.Contains) && s.Distinct().Count() == s.Count))
            .WithMessage($"irreparableSigns are distinct keys from: {string.Join(", ", irreparable)}.");
        RuleFor(r => r.Motivations).Must(m => m is null || (m.Count <= 2 && m.All(x => x is not null && RepairGuidance.MotivationAnswers.Contains(x.Answer))))
            .WithMessage($"motivations give at most one answer per partner, each one of: {string.Join(", ", RepairGuidance.MotivationAnswers)}.");
        RuleFor(r => r.Note).MaximumLength(2000);
        RuleFor(r => r.AssessedOn).Must(d => d is null || d <= calendar.Today.AddDays(1)).WithMessage("assessedOn cannot be in the future.");
    }
}

/// <summary>
/// The therapist's view, over time, of whether the couple's trust looks repairable. Therapists' own working notes: for the
/// partners' care team only (as safety screenings), not for partners, integrations or FHIR, and not part of a client's export.
/// </summary>
internal sealed class RepairAssessmentStore(Db db, AuditLog audit, PracticeCalendar calendar)
{
    private const string Columns = "Id, CoupleId, AssessedOn, RepairableSigns, IrreparableSigns, Motivations, Outlook, Note, AssessedBy, CreatedAt";

    // Newest first.
    private static readonly string ListSql = $"""
        SELECT {Columns} FROM RepairAssessments
        WHERE PracticeId = @PracticeId AND CoupleId = @CoupleId
          AND (@BeforeOn IS NULL OR AssessedOn < @BeforeOn OR (AssessedOn = @BeforeOn AND Id < @BeforeId))
        ORDER BY AssessedOn DESC, Id DESC {SqlDialect.Limit}
        """;

    private const string GetSql = $"SELECT {Columns} FROM RepairAssessments WHERE Id = @Id AND PracticeId = @PracticeId";

    private const string InsertSql = """
        INSERT INTO RepairAssessments (Id, PracticeId, CoupleId, AssessedOn, RepairableSigns, IrreparableSigns, Motivations, Outlook, Note, AssessedBy, CreatedAt)
        VALUES (@Id, @PracticeId, @CoupleId, @AssessedOn, @RepairableSigns, @IrreparableSigns, @Motivations, @Outlook, @Note, @AssessedBy, @Now)
        """;

    private sealed record Row
    {
        public Guid Id { get; init; }
        public Guid CoupleId { get; init; }
        public DateOnly AssessedOn { get; init; }
        public string RepairableSigns { get; init; } = "[]";
        public string IrreparableSigns { get; init; } = "[]";
        public string Motivations { get; init; } = "[]";
        public string Outlook { get; init; } = "";
        public string? Note { get; init; }
        public Guid? AssessedBy { get; init; }
        public DateTime CreatedAt { get; init; }

        public RepairAssessmentResponse ToResponse() => new(Id, CoupleId, AssessedOn, StoredJson.Read<List<string>>(RepairableSigns) ?? [],
            StoredJson.Read<List<string>>(IrreparableSigns) ?? [], StoredJson.Read<List<PartnerMotivation>>(Motivations) ?? [], Outlook, Note, AssessedBy, CreatedAt);
    }

    public async Task<Outcome<RepairAssessmentResponse>> AddAsync(Caller caller, Guid coupleId, RepairAssessmentRequest request, CancellationToken ct)
    {
        var on = request.AssessedOn ?? calendar.Today;
        if (on > calendar.Today) return Failure.Invalid("assessedOn", "assessedOn cannot be in the future.");
        await using var c = await db.BeginWriteAsync(ct);
        var couple = await CoupleReads.FindForCareTeamAsync(c, caller, coupleId, ct);
        if (couple is null) return Failure.NotFound("couple");
        var motivations = request.Motivations ?? [];
        if (motivations.Any(m => !couple.Partners.Contains(m.PartnerId)) || motivations.Select(m => m.PartnerId).Distinct().Count() != motivations.Count)
        {
            return Failure.Invalid("motivations", "motivations name each partner of this couple at most once.");
        }

        var args = new
        {
            Id = EntityIds.New(), caller.PracticeId, CoupleId = coupleId, AssessedOn = on, RepairableSigns = StoredJson.Write(request.RepairableSigns),
            IrreparableSigns = StoredJson.Write(request.IrreparableSigns), Motivations = StoredJson.Write(motivations), Outlook = request.Outlook.Wire(),
            Note = request.Note?.Trim(), AssessedBy = caller.TherapistId, calendar.Now,
        };
        await c.ExecuteAsync(InsertSql, args);
        await audit.WriteAsync(c, caller, new AuditEntry(AuditActions.Create, "repair_assessment", args.Id, couple.Partners));
        var row = await c.QuerySingleAsync<Row>(GetSql, args);
        await c.CommitAsync();
        return row.ToResponse();
    }

    public async Task<Page<RepairAssessmentResponse>?> ListAsync(Caller caller, Guid coupleId, PageQuery query, CancellationToken ct)
    {
        var limit = query.EffectiveLimit();
        List<Row> rows;
        CoupleRow? couple;
        await using (var c = await db.BeginReadAsync(ct))
        {
            couple = await CoupleReads.FindForCareTeamAsync(c, caller, coupleId, ct);
            if (couple is null) return null;
            var (beforeOn, beforeId) = Cursor.DecodeDateAndId(query.Cursor);
            rows = await c.QueryAsync<Row>(ListSql, new
            {
                caller.PracticeId, CoupleId = coupleId, BeforeOn = beforeOn, BeforeId = beforeId, Limit = limit + 1,
            });
        }

        await audit.WriteAsync(caller, new AuditEntry(AuditActions.Read, "repair_assessments", coupleId, couple.Partners), ct);
        return Cursor.ToPage(rows, limit, r => [r.AssessedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), r.Id.ToString()],
            r => r.ToResponse());
    }
}

public static class RepairGuidanceApi
{
    public static IEndpointRouteBuilder MapRepairGuidance(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/v1/repair-suggestions", () => TypedResults.Ok(RepairGuidance.Suggestions)).WithTags("Repair work")
            .WithName("GetRepairSuggestions")
            .WithSummary("Example trust-contract lines and trigger-plan steps to start from and make the couple's own (nl and en).")
            .RequireAuthorization(Policies.StaffOrPartner);

        var group = routes.MapGroup("/api/v1").WithTags("Repair work").RequireAuthorization(Policies.Staff);
        group.MapGet("/repair-assessment-signs", () => TypedResults.Ok(RepairGuidance.Signs)).WithName("GetRepairAssessmentSigns")
            .WithSummary("The signs of repairable and of irreparable trust, and the question to ask (therapists).");
        group.MapPost("/couples/{id:guid}/repair-assessments", async (Guid id, RepairAssessmentRequest request, Caller caller, RepairAssessmentStore store,
                    CancellationToken ct) =>
                (await store.AddAsync(caller, id, request, ct)).ToCreated(_ => $"/api/v1/couples/{id}/repair-assessments"))
            .WithName("AddRepairAssessment").WithExample(RepairWorkExamples.AddRepairAssessment).WithSummary("Record which signs of repairable and irreparable trust the therapist sees now, and the outlook.")
            .WithDescription("Therapists' own working notes, for the partners' care team only (as safety screenings; an admin not on it " +
                             "gets 404): never shown to partners or integrations, not in FHIR and not in a client's " +
                             "export. The outlook is the therapist's judgement; nothing is computed from the signs. Assess again over time to " +
                             "see the picture change.")
            .Validate<RepairAssessmentRequest>().ProducesProblems(404);
        group.MapGet("/couples/{id:guid}/repair-assessments", async Task<Results<Ok<Page<RepairAssessmentResponse>>, ProblemHttpResult>> (
                    Guid id, [AsParameters] PageQuery query, Caller caller, RepairAssessmentStore store, CancellationToken ct) =>
                await store.ListAsync(caller, id, query, ct) is { } page ? TypedResults.Ok(page) : Problems.NotFound("couple"))
            .WithName("ListRepairAssessments").WithSummary("The couple's repair assessments, newest first.")
            .Validate<PageQuery>().ProducesProblems(404);
        return routes;
    }
}
