using PracticeApi.Features.Assignments;
using PracticeApi.Features.Measures;
using PracticeApi.Features.Reminders;

namespace PracticeApi.Features.Me;

/// <summary>
/// A portal client's to-do in one read: their exercises due (paged by assignment), and on the first page the measures
/// they are to take and the sessions they are being reminded of. Each part is its feature's own read.
/// </summary>
internal sealed class MyDueWork(Db db, AuditLog audit, PracticeCalendar calendar, SessionsComingUp comingUp)
{
    public async Task<DueResponse> ReadAsync(Caller caller, PageQuery query, string language, CancellationToken ct)
    {
        var me = caller.ClientId!.Value;
        var first = query.Cursor is null;
        DueResponse due;
        await using (var c = await db.BeginReadAsync(ct))
        {
            var work = await AssignmentReads.DueAsync(c, caller, query, calendar, ct);
            due = new DueResponse(work.Items, work.NextCursor,
                first ? await comingUp.ForClientAsync(c, caller.PracticeId, me, language) : [],
                first ? await MeasureSchedule.DueAsync(c, caller.PracticeId, me, calendar) : []);
        }

        await audit.WriteAsync(caller, new AuditEntry(AuditAction.Read, "occurrences", null, [me], Detail: "due"), ct);
        return due;
    }
}
