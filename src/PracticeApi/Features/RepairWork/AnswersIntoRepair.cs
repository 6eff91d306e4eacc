using System.Data.Common;
using System.Text.Json;
using PracticeApi.Features.Exercises;

namespace PracticeApi.Features.RepairWork;

/// <summary>
/// The trust contract and the trigger plan a couple writes as exercises (assigned by hand or by a program) become the
/// couple's own: the contract exercise's table of agreements is the contract's next version, which both partners then
/// agree to and evaluate monthly; each partner's trigger plan answer is their part of the couple's plan. A line that
/// reads as before keeps its id, so its monthly ratings carry on. What cannot be written (a closed couple, a safety
/// hold) stays an answer to the exercise only; the answer itself always stands.
/// </summary>
internal sealed class AnswersIntoRepair(TrustContractStore contracts, TriggerStore triggers,
    ILogger<AnswersIntoRepair> logger) : ICareChangeHandler
{
    public async Task HandleAsync(CareChange change, CancellationToken ct)
    {
        if (change is not ExerciseAnswered { BuiltIn: true, CoupleId: { } coupleId } answered) return;
        Failure? refused;
        try
        {
            refused = answered.TemplateKey switch
            {
                BuiltInCatalogue.TrustContractKey => (await ContractAsync(answered, coupleId, ct))?.Failure,
                BuiltInCatalogue.TriggerPlanKey => (await PlanAsync(answered, coupleId, ct))?.Failure,
                _ => null,
            };
        }
        catch (DbException e) when (!ct.IsCancellationRequested)
        {
            // The answer is committed and stands; the couple's contract or plan can be written from it by hand.
            logger.LogWarning("An exercise answer was not carried into the couple's repair work ({ExceptionType})",
                e.GetType().Name);
            return;
        }

        if (refused is { } failure) logger.LogInformation("An exercise answer stays an answer only: {Problem}",
            failure.Name);
    }

    private async Task<Outcome<TrustContractResponse>?> ContractAsync(ExerciseAnswered answered, Guid coupleId,
        CancellationToken ct)
    {
        if (!answered.Answers.TryGetProperty("lines",
            out var rows) || rows.ValueKind != JsonValueKind.Array) return null;
        var lines = rows.EnumerateArray().Select(r => (Area: Text(r, "area"), Agreement: Text(r, "agreement"),
            Measure: Text(r, "measure")))
            .Where(l => l.Area.Length > 0 && l.Agreement.Length > 0).ToList();
        if (lines.Count == 0) return null;
        var current = await contracts.CurrentAsync(answered.PracticeId, coupleId, ct);
        var request = new TrustContractRequest(lines.Select(l => new ContractLine(
            current?.Lines.FirstOrDefault(k => k.Area == l.Area
                && k.Agreement == l.Agreement)?.LineId, l.Area, l.Agreement, l.Measure)).ToList());
        return await contracts.PutAsync(answered.By, coupleId, request, null, ct);
    }

    private async Task<Outcome<TriggerPlanResponse>?> PlanAsync(ExerciseAnswered answered, Guid coupleId,
        CancellationToken ct)
    {
        string? Part(string key) => Text(answered.Answers, key) is { Length: > 0 } text ? text : null;
        var part = new PartnerTriggerPlan(answered.RespondentId, Part("my_triggers"), Part("my_steps"),
            Part("what_i_ask_of_you"), Part("when_you_are_triggered"));
        var current = await triggers.CurrentPlanAsync(answered.PracticeId, coupleId, ct);
        var partners = (current?.Partners ?? []).Where(p => p.ClientId != answered.RespondentId).Append(part).ToList();
        return await triggers.PutPlanAsync(answered.By, coupleId, new TriggerPlanRequest(partners), null, ct);
    }

    private static string Text(JsonElement answers, string key) =>
        answers.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!.Trim() : "";
}
