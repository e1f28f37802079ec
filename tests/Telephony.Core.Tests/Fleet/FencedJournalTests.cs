using Dapper;
using Telephony.Core.Fleet;
using Telephony.Core.Storage;
using Telephony.TestSupport;

namespace Telephony.Core.Tests.Fleet;

/// <summary>Issue 11 §3: a bridge that lost its lease cannot get frames journaled once the next epoch began.</summary>
public sealed class FencedJournalTests(TestDatabase database)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_append_racing_a_takeover_waits_for_it_and_then_journals_nothing()
    {
        var tenant = await TestTenant.CreateAsync(database);
        var leases = new PbxLeaseRepository(database.DataSource);
        var journal = new EventJournal(database.DataSource);
        var held = await leases.AcquireAsync(tenant.TenantId, "main", "bridge-a", null, TimeSpan.FromMinutes(1), Ct);
        Assert.NotNull(held);

        // Bridge B's takeover is in progress: its update holds the lease row, not yet committed.
        await using var takeover = await database.DataSource.OpenConnectionAsync(Ct);
        await using var transaction = await takeover.BeginTransactionAsync(Ct);
        await takeover.ExecuteAsync(
            "update pbx_leases set holder = 'bridge-b', epoch = epoch + 1 where tenant_id = @TenantId and pbx_id = 'main'",
            new { tenant.TenantId }, transaction);

        var takeoverPid = await takeover.ExecuteScalarAsync<int>("select pg_backend_pid()", transaction: transaction);

        var append = journal.AppendFencedAsync(tenant.TenantId, "main", new LeaseClaim("bridge-a", held.Epoch), [Entry("late-1", 1)], Ct);
        await WaitUntilBlockedByAsync(takeoverPid, append);
        Assert.False(append.IsCompleted);
        await transaction.CommitAsync(Ct);

        Assert.Null(await append);
        Assert.Equal(0, await journal.CountAsync(tenant.TenantId, "main", withParseErrorOnly: false, Ct));
        Assert.Empty(await journal.UnappliedBatchesAsync(tenant.TenantId, "main", Ct));
    }

    [Fact]
    public async Task An_append_under_the_current_lease_journals_and_one_under_an_old_epoch_does_not()
    {
        var tenant = await TestTenant.CreateAsync(database);
        var leases = new PbxLeaseRepository(database.DataSource);
        var journal = new EventJournal(database.DataSource);
        var first = (await leases.AcquireAsync(tenant.TenantId, "main", "bridge-a", null, TimeSpan.FromMinutes(1), Ct))!;
        Assert.True(await leases.ReleaseAsync(tenant.TenantId, "main", "bridge-a", first.Epoch, Ct));
        var second = (await leases.AcquireAsync(tenant.TenantId, "main", "bridge-a", null, TimeSpan.FromMinutes(1), Ct))!;
        Assert.Equal(first.Epoch + 1, second.Epoch);

        Assert.Null(await journal.AppendFencedAsync(tenant.TenantId, "main", new LeaseClaim("bridge-a", first.Epoch), [Entry("old", 1)], Ct));
        Assert.Null(await journal.AppendFencedAsync(tenant.TenantId, "main", new LeaseClaim("bridge-a", first.Epoch), [], Ct));
        var appended = await journal.AppendFencedAsync(tenant.TenantId, "main", new LeaseClaim("bridge-a", second.Epoch), [Entry("new", 2)], Ct);

        Assert.NotNull(appended);
        Assert.Equal(["new"], appended.Fresh);
        Assert.Equal(1, await journal.CountAsync(tenant.TenantId, "main", withParseErrorOnly: false, Ct));
    }

    // The append's statement is waiting for the takeover's row lock: it has reached the lease and must now see the takeover's outcome.
    private async Task WaitUntilBlockedByAsync(int blockerPid, Task append)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(Ct);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await connection.ExecuteScalarAsync<bool>(
            "select exists (select from pg_stat_activity where @blockerPid = any(pg_blocking_pids(pid)))", new { blockerPid }))
        {
            Assert.False(append.IsCompleted, "The fenced append finished without waiting for the takeover's lock on the lease row.");
            Assert.True(DateTime.UtcNow < deadline, "The fenced append never waited for the takeover's lock.");

            // Polling a server view: there is no event to await for "another session is now waiting on a lock".
            await Task.Delay(20, Ct);
        }
    }

    private static JournalEntry Entry(string key, long seq) => new(key, "bridge-a", seq, "websocket", DateTimeOffset.UtcNow, """{"type":30008}""", "30008", null, null);
}
