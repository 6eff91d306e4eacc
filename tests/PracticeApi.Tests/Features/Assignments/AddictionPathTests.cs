using System.Net.Http.Json;
using PracticeApi.Tests.Infrastructure;

namespace PracticeApi.Tests.Features.Assignments;

/// <summary>The addiction couple (the repair path issue, part 3): the partner in recovery takes the breaching partner's
/// exercises.</summary>
public sealed class AddictionPathTests(SqliteApi api) : IClassFixture<SqliteApi>
{
    [Fact]
    public async Task The_letter_of_responsibility_goes_to_the_partner_in_recovery_by_default()
    {
        var practice = await api.NewPracticeAsync();
        var recovering = await practice.Admin.CreateClientIdAsync();
        var lovedOne = await practice.Admin.CreateClientIdAsync();
        var couple = (await (await practice.Admin.PostAsJsonAsync("/api/v1/couples", new
        {
            partnerAId = recovering, partnerBId = lovedOne, breachType = "hidden_addiction", partnerARole = "in_recovery", partnerBRole = "partner",
            startedOn = "2026-06-01",
        })).ReadJsonAsync(201)).GetProperty("id").GetGuid();

        var letter = await (await practice.Admin.PostAsJsonAsync("/api/v1/assignments",
            new { templateId = ExerciseWork.TemplateId("letter_of_responsibility"), coupleId = couple }))
                .ReadJsonAsync(201);
        Assert.Equal([recovering], letter.GetProperty("respondentIds").EnumerateArray().Select(r => r.GetGuid()));
        Assert.Equal("in_recovery", letter.GetProperty("respondents").GetString());
        // Read in session first: the letter and the loved one's reply wait for the therapist's release unless told
        // otherwise.
        Assert.Equal("therapist_release", letter.GetProperty("visibility").GetString());
        var reply = await (await practice.Admin.PostAsJsonAsync("/api/v1/assignments",
            new { templateId = ExerciseWork.TemplateId("hurt_partner_reply"), coupleId = couple })).ReadJsonAsync(201);
        Assert.Equal([lovedOne], reply.GetProperty("respondentIds").EnumerateArray().Select(r => r.GetGuid()));
        Assert.Equal("therapist_release", reply.GetProperty("visibility").GetString());
        var shared = await (await practice.Admin.PostAsJsonAsync("/api/v1/assignments",
            new { templateId = ExerciseWork.TemplateId("hurt_partner_reply"), coupleId = couple, visibility = "shared" }))
                .ReadJsonAsync(201);
        Assert.Equal("shared", shared.GetProperty("visibility").GetString());
    }
}
