using PracticeApi.Features.Couples;
using PracticeApi.Infrastructure.Examples;
using static PracticeApi.Features.Practices.DemoPractice;

namespace PracticeApi.Features.Practices;

/// <summary>
/// The demo's two couples: Sanne and Joost after an affair (screened, at step 4, one later breach), and Daan and Lotte
/// after a hidden addiction.
/// </summary>
internal sealed class DemoCouples(OpenCouple open, ChangeCouple change, RecordOnCouple record,
    PracticeCalendar calendar)
{
    public async Task<(Guid Affair, Guid Addiction)> SeedAsync(Caller admin, Guid sanne, Guid joost,
        Guid daan, Guid lotte, CancellationToken ct)
    {
        var today = calendar.Today;
        var affair = (await Planned(DemoIds.AffairCouple, () => open.CreateAsync(admin, new CreateCoupleRequest(joost,
            sanne, BreachType.PhysicalAffair,
            PartnerRole.Breaching, PartnerRole.Hurt, today.AddMonths(-5).AddDays(-10), today.AddMonths(-5)), ct))).Id;
        var addiction = (await Planned(DemoIds.AddictionCouple, () => open.CreateAsync(admin,
            new CreateCoupleRequest(daan, lotte, BreachType.HiddenAddiction,
            PartnerRole.InRecovery, PartnerRole.Partner, today.AddMonths(-7)
                .AddDays(-3), today.AddMonths(-7)), ct))).Id;
        foreach (var partner in new[] { sanne, joost })
        {
            Value(await record.AddScreeningAsync(admin, affair, new SafetyScreeningRequest(partner, false, false,
                "No danger reported; both want to work on it."), ct));
        }

        for (var step = 2; step <= 4; step++)
        {
            Value(await change.ChangeStepAsync(admin, affair, new StepRequest(step,
                step == 4 ? "Ready to put agreements on paper." : null), ct));
        }

        Value(await record.RecordBreachAsync(admin, affair, new BreachRequest(today.AddDays(-12),
            BreachType.LiesOrSecrets, "A message kept from the partner."), ct));
        return (affair, addiction);
    }
}
