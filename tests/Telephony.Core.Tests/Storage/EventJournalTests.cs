using Telephony.Core.Storage;
using Telephony.TestSupport;

namespace Telephony.Core.Tests.Storage;

public sealed class EventJournalTests(TestDatabase database)
{
    [Fact]
    public async Task A_frame_is_journaled_once_however_often_it_is_appended()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        var journal = new EventJournal(database.DataSource);
        JournalEntry[] batch =
        [
            new("k1", "b", 1, "websocket", DateTimeOffset.UtcNow, """{"type":30008}""", "30008", null, null),
            new("k2", "b", 2, "websocket", DateTimeOffset.UtcNow, "garbage", null, null, "not JSON"),
        ];

        Assert.Equal(["k1", "k2"], (await journal.AppendAsync(tenant.TenantId, "main", batch, ct)).Order());
        Assert.Empty(await journal.AppendAsync(tenant.TenantId, "main", batch, ct));
        Assert.Equal(2, await journal.CountAsync(tenant.TenantId, "main", withParseErrorOnly: false, ct));
        Assert.Equal(1, await journal.CountAsync(tenant.TenantId, "main", withParseErrorOnly: true, ct));
    }

    [Fact]
    public async Task Unapplied_frames_are_offered_for_replay_until_marked_applied()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        var journal = new EventJournal(database.DataSource);
        await journal.AppendAsync(tenant.TenantId, "main", [new("r1", "b", 1, "websocket", DateTimeOffset.UtcNow, "{}", "30011", "1.1", null)], ct);

        Assert.Contains(await journal.LoadUnappliedAsync(10_000, TimeSpan.Zero, ct), f => f.TenantId == tenant.TenantId && f.DedupeKey == "r1");
        await journal.MarkAppliedAsync(tenant.TenantId, "main", ["r1"], ct);
        Assert.DoesNotContain(await journal.LoadUnappliedAsync(10_000, TimeSpan.Zero, ct), f => f.TenantId == tenant.TenantId);
    }
}
