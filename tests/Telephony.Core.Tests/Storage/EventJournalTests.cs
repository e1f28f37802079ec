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

        var first = await journal.AppendAsync(tenant.TenantId, "main", batch, ct);
        Assert.Equal(["k1", "k2"], first.Fresh.Order());
        var again = await journal.AppendAsync(tenant.TenantId, "main", batch, ct);
        Assert.Empty(again.Fresh);
        Assert.NotEqual(first.BatchId, again.BatchId);

        // A batch with nothing new has nothing to apply: it is never offered for replay.
        Assert.Equal([first.BatchId], await journal.UnappliedBatchesAsync(tenant.TenantId, "main", ct));
        Assert.Equal(2, await journal.CountAsync(tenant.TenantId, "main", withParseErrorOnly: false, ct));
        Assert.Equal(1, await journal.CountAsync(tenant.TenantId, "main", withParseErrorOnly: true, ct));
    }

    [Fact]
    public async Task Unapplied_batches_are_offered_for_replay_whole_and_in_journal_order_until_marked_applied()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        var journal = new EventJournal(database.DataSource);
        var first = await journal.AppendAsync(tenant.TenantId, "main", [Entry("r2", 2), Entry("r1", 1), new("bad", "b", 3, "websocket", DateTimeOffset.UtcNow, "garbage", null, null, "not JSON")], ct);
        var second = await journal.AppendAsync(tenant.TenantId, "main", [Entry("r3", 4)], ct);

        var offered = await journal.LoadUnappliedAsync(10_000, TimeSpan.Zero, ct);
        Assert.Contains(first.BatchId, offered.BatchIds);
        Assert.Equal(["r1", "r2", "r3"], offered.Frames.Where(f => f.TenantId == tenant.TenantId).Select(f => f.DedupeKey));
        Assert.Equal([first.BatchId, first.BatchId, second.BatchId], offered.Frames.Where(f => f.TenantId == tenant.TenantId).Select(f => f.BatchId));

        await journal.MarkAppliedAsync([first.BatchId], ct);
        Assert.Equal(["r3"], (await journal.LoadUnappliedAsync(10_000, TimeSpan.Zero, ct)).Frames.Where(f => f.TenantId == tenant.TenantId).Select(f => f.DedupeKey));
        await journal.MarkAppliedAsync([second.BatchId], ct);
        Assert.Empty(await journal.UnappliedBatchesAsync(tenant.TenantId, "main", ct));
    }

    private static JournalEntry Entry(string key, long seq) => new(key, "b", seq, "websocket", DateTimeOffset.UtcNow, "{}", "30011", "1.1", null);
}
