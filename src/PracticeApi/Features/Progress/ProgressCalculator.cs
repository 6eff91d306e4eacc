using PracticeApi.Features.Couples;
using PracticeApi.Features.RepairWork;

namespace PracticeApi.Features.Progress;

/// <summary>
/// Progress of a couple from its signals. Definitions: a check-in counts as made when answered at all (on time or
/// late); adherence is made / due over the window's occurrences whose due time has passed; a streak is the run of
/// consecutive days with a check-in ending today (or yesterday, while today's is still open); weeks start on Monday.
/// </summary>
internal static class ProgressCalculator
{
    public static ProgressResponse Calculate(CoupleSignals s, DateOnly from, DateOnly to, DateTime now, Func<DateTime,
        DateOnly> localDate)
    {
        var couple = s.Couple;
        var roles = new Dictionary<Guid, string> { [couple.PartnerAId] = couple.PartnerARole, [couple.PartnerBId] = couple.PartnerBRole };
        var partners = couple.Partners.Select(p => new PartnerProgress(p, ClosedSets.Parse<PartnerRole>(roles[p]),
            AdherenceOf(s, p, to.AddDays(-13), to, now), AdherenceOf(s, p, to.AddDays(-29), to,
                now), Streak(AnsweredDays(s, p), to))).ToList();

        var moods = s.CheckIns.Where(c => c.Date >= from && c.Date <= to && c.Mood is not null)
            .GroupBy(c => (Week: RepairSignals.WeekStart(c.Date), c.RespondentId))
            .OrderBy(g => g.Key.Week).ThenBy(g => g.Key.RespondentId)
            .Select(g => new MoodWeek(g.Key.Week, g.Key.RespondentId, g.Count(c => c.Mood == "sunny"),
            g.Count(c => c.Mood == "cloudy"), g.Count(c => c.Mood == "stormy")))
            .ToList();

        var episodes = s.Episodes.Select(e => (Day: localDate(e.OccurredAt), e.Intensity)).Where(e => e.Day >= from
            && e.Day <= to).ToList();
        var triggers = new List<TriggerWeek>();
        for (var week = RepairSignals.WeekStart(from); week <= to; week = week.AddDays(7))
        {
            var inWeek = episodes.Where(e => RepairSignals.WeekStart(e.Day) == week).ToList();
            triggers.Add(new TriggerWeek(week, inWeek.Count,
                inWeek.Count == 0 ? null : Math.Round(inWeek.Average(e => e.Intensity), 2)));
        }

        var contract = s.Evaluations.SelectMany(e => e.RatingList.Select(r => (e.Month,
            r.Rating))).GroupBy(r => r.Month).OrderBy(g => g.Key)
            .Select(g => new ContractMonth(g.Key, g.Count(), g.Count(r => r.Rating == Rating.Kept),
            g.Count(r => r.Rating == Rating.PartlyKept), g.Count(r => r.Rating == Rating.Broken)))
            .ToList();

        var months = RepairCase.MonthsBetween(couple.StartedOn, to);
        var window = RepairCase.ExpectedRecoveryFor(couple.BreachType);
        var position = window switch
        {
            null => "unknown",
            _ when months < window.MinMonths => "before_window",
            { MaxMonths: { } max } when months > max => "beyond_window",
            _ => "within_window",
        };
        var timeline = new RepairTimeline(couple.CurrentStep, RepairCase.StepName(couple.CurrentStep), months,
            window, position);
        var shared = AnsweredDays(s, couple.PartnerAId);
        shared.IntersectWith(AnsweredDays(s, couple.PartnerBId));
        var trust = s.TrustRatings.Where(r => r.Date >= from && r.Date <= to)
            .GroupBy(r => RepairSignals.WeekStart(r.Date)).OrderBy(g => g.Key)
            .Select(g =>
            {
                var rated = g.GroupBy(r => r.RespondentId).OrderBy(p => p.Key)
                    .Select(p => new PartnerRating(p.Key, Math.Round(p.Average(r => r.Trust), 2),
                    Math.Round(p.Average(r => r.Connection), 2))).ToList();
                return new TrustWeek(g.Key, rated,
                    rated.Count == 2 ? Math.Round(Math.Abs(rated[0].Trust - rated[1].Trust), 2) : null,
                    rated.Count == 2 ? Math.Round(Math.Abs(rated[0].Connection - rated[1].Connection), 2) : null);
            })
            .ToList();
        return new ProgressResponse(couple.Id, from, to, partners, Streak(shared, to), moods, triggers,
            contract, timeline, Milestones(s, shared, contract, months, to, localDate), trust,
            s.Recovery.Select(r => new PartnerRecovery(r.Key, r.Value)).OrderBy(r => r.ClientId).ToList(),
            s.Measures.Where(m => localDate(m.TakenAt) >= from && localDate(m.TakenAt) <= to).GroupBy(m => (m.ClientId,
                m.Key)).OrderBy(g => g.Key.ClientId)
                .ThenBy(g => g.Key.Key, StringComparer.Ordinal)
                .Select(g => new PartnerMeasure(g.Key.ClientId, g.Key.Key, g.Last().Name,
                g.Select(m => new MeasureScorePoint(m.TakenAt, m.Total, m.Band)).ToList()))
                .ToList());
    }

    public static Adherence AdherenceOf(CoupleSignals s, Guid partner, DateOnly start, DateOnly end, DateTime now)
    {
        var due = s.CheckIns.Where(c => c.RespondentId == partner && c.Date >= start && c.Date <= end
            && c.DueAt <= now).ToList();
        var answered = due.Count(c => c.AnsweredAt is not null);
        return new Adherence(due.Count, answered, due.Count == 0 ? null : Math.Round((double)answered / due.Count, 4));
    }

    private static HashSet<DateOnly> AnsweredDays(CoupleSignals s, Guid partner) =>
        s.CheckIns.Where(c => c.RespondentId == partner && c.AnsweredAt is not null).Select(c => c.Date).ToHashSet();

    public static int Streak(IReadOnlySet<DateOnly> days, DateOnly today)
    {
        var day = days.Contains(today) ? today : today.AddDays(-1);
        var streak = 0;
        while (days.Contains(day))
        {
            streak++;
            day = day.AddDays(-1);
        }

        return streak;
    }

    private static List<ComputedMilestone> Milestones(CoupleSignals s, HashSet<DateOnly> shared,
        List<ContractMonth> contract, int months, DateOnly to, Func<DateTime, DateOnly> localDate)
    {
        var milestones = new List<ComputedMilestone>();
        foreach (var (n, en, nl) in new[] { (3, "Three months of repair work", "Drie maanden aan het herstel gewerkt"),
                     (6, "Six months of repair work", "Zes maanden aan het herstel gewerkt"), (12,
                         "A year of repair work", "Een jaar aan het herstel gewerkt") })
        {
            if (months >= n) milestones.Add(new ComputedMilestone($"months_in_repair_{n}", new LocalizedText(en, nl),
                s.Couple.StartedOn.AddMonths(n)));
        }

        // The 30th day of the first run of 30 consecutive days on which both partners checked in.
        var run = 0;
        foreach (var day in shared.Order())
        {
            run = shared.Contains(day.AddDays(-1)) ? run + 1 : 1;
            if (run != 30) continue;
            milestones.Add(new ComputedMilestone("check_ins_30_days_together",
                new LocalizedText("30 days of check-ins by both of you",
                    "30 dagen check-ins door jullie allebei"), day));
            break;
        }

        if (contract.FirstOrDefault(m => m.Ratings > 0 && m.Kept == m.Ratings) is { } allKept)
        {
            milestones.Add(new ComputedMilestone("contract_fully_kept",
                new LocalizedText("A month with every agreement kept", "Een maand waarin elke afspraak is nagekomen"),
                DateOnly.ParseExact(allKept.Month + "-01", "yyyy-MM-dd").AddMonths(1).AddDays(-1)));
        }

        if (s.Episodes.Count > 0 && localDate(s.Episodes.Max(e => e.OccurredAt)) is var last
            && to.DayNumber - last.DayNumber >= 28)
        {
            milestones.Add(new ComputedMilestone("four_weeks_without_triggers",
                new LocalizedText("Four weeks without a trigger episode",
                    "Vier weken zonder triggermoment"), last.AddDays(28)));
        }

        return milestones.OrderBy(m => m.ReachedOn).ToList();
    }
}

/// <summary>The signals that call for a therapist's attention (seed 003, "when is professional help
/// necessary").</summary>
internal static class AlertRules
{
    // triggers_not_decreasing compares the last four weeks with the four before: at least one episode in each and three
    // in all.
    private const int MinEpisodesPerWindow = 1;
    private const int MinEpisodesForTrend = 3;

    public static IEnumerable<AlertResponse> Evaluate(CoupleSignals s, DateTime now, DateOnly today)
    {
        var couple = s.Couple;
        if (couple.SafetyHold)
        {
            yield return new AlertResponse(couple.Id, AlertKind.SafetyConcern,
                "A partner's latest safety screening reports danger or untreated addiction: conjoint work waits until that is addressed.",
                new Dictionary<string, object?>());
        }

        foreach (var breach in s.Breaches.OrderBy(b => b.RecordedAt))
        {
            yield return new AlertResponse(couple.Id, AlertKind.NewBreach,
                "A new breach of trust was recorded in the last 30 days.",
                new Dictionary<string, object?> { ["occurredOn"] = breach.OccurredOn, ["type"] = breach.BreachType, ["recordedAt"] = breach.RecordedAt });
        }

        foreach (var partner in couple.Partners)
        {
            var adherence = ProgressCalculator.AdherenceOf(s, partner, today.AddDays(-13), today, now);
            if (adherence.Rate is < 0.5)
            {
                yield return new AlertResponse(couple.Id, AlertKind.LowAdherence,
                    "Fewer than half of this partner's check-ins in the last 14 days were made.",
                    new Dictionary<string, object?> { ["clientId"] = partner, ["due"] = adherence.Due, ["answered"] = adherence.Answered, ["rate"] = adherence.Rate });
            }
        }

        var earlier = s.Episodes.Where(e => e.OccurredAt >= now.AddDays(-56)
            && e.OccurredAt < now.AddDays(-28)).ToList();
        var later = s.Episodes.Where(e => e.OccurredAt >= now.AddDays(-28) && e.OccurredAt <= now).ToList();
        // A trend needs data in both windows: the first episode after a quiet period is not "not decreasing".
        if (earlier.Count >= MinEpisodesPerWindow && later.Count >= MinEpisodesPerWindow && earlier.Count
            + later.Count >= MinEpisodesForTrend &&
            later.Count >= earlier.Count)
        {
            yield return new AlertResponse(couple.Id, AlertKind.TriggersNotDecreasing,
                "Trigger episodes in the last four weeks are not fewer than in the four weeks before.",
                new Dictionary<string, object?>
                {
                    ["previousFourWeeks"] = earlier.Count, ["lastFourWeeks"] = later.Count,
                    ["previousMeanIntensity"] = earlier.Count == 0
                        ? null : Math.Round(earlier.Average(e => e.Intensity), 2),
                    ["lastMeanIntensity"] = Math.Round(later.Average(e => e.Intensity), 2),
                });
        }

        // A setback is a signal to talk about, not a failure: it moves nothing back in the couple's repair.
        foreach (var (partner, recovery) in s.Recovery.OrderBy(r => r.Key))
        {
            if (recovery.LastSetbackOn is { } setback && setback > today.AddDays(-7))
            {
                yield return new AlertResponse(couple.Id, AlertKind.RecoverySetback,
                    "A setback in recovery was logged in the last 7 days: a signal to talk about, not a failure; the couple's progress stands.",
                    new Dictionary<string, object?> { ["clientId"] = partner, ["setbackOn"] = setback, ["setbacks90Days"] = recovery.Setbacks90 });
            }
        }

        // A critical answer on an outcome measure in the last 14 days, with the alert the measure gives it.
        foreach (var point in s.Measures.Where(m => m.Critical.Count > 0 && m.TakenAt > now.AddDays(-14)))
        {
            yield return new AlertResponse(couple.Id, AlertKind.CriticalAnswer, string.Join(" ",
                point.Critical.Select(x => x.Alert)),
                new Dictionary<string, object?> { ["clientId"] = point.ClientId, ["measureKey"] = point.Key, ["takenAt"] = point.TakenAt,
                    ["linkIds"] = point.Critical.Select(x => x.LinkId).ToList() });
        }

        var months = RepairCase.MonthsBetween(couple.StartedOn, today);
        var lastProgress = s.Steps.Where(c => c.FromStep is { } from && c.ToStep > from)
            .Select(c => (DateTime?)c.ChangedAt).Max();
        if (months >= 6 && (lastProgress is null || lastProgress < now.AddMonths(-6)))
        {
            yield return new AlertResponse(couple.Id, AlertKind.NoStepProgress,
                "Six months or more in repair without moving forward a step.",
                new Dictionary<string, object?> { ["monthsInRepair"] = months, ["currentStep"] = couple.CurrentStep, ["lastStepForwardAt"] = lastProgress });
        }
    }
}
