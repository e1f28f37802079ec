using Dapper;
using Telephony.Core.Storage;
using Telephony.TestSupport;

namespace Telephony.Core.Tests.Storage;

// Migration 0010: a call-log write holds its tenants' history locks until it commits. Writers of other tenants (other
// restaurants, other API replicas) go on meanwhile; a writer of the same tenant waits its turn.
public sealed class TenantHistoryLockTests(TestDatabase database)
{
    private static readonly DateTimeOffset From = new(2026, 4, 1, 21, 0, 0, TimeSpan.Zero);

    // The busy tenant's lock only: other tests write calls in other databases at the same time.
    private const string WaitingHistoryLocks =
        """
        select count(*) from pg_locks
        where locktype = 'advisory' and not granted and classid = 4200 and objsubid = 2
          and database = (select oid from pg_database where datname = current_database())
          and objid = ((hashtext(@tenantId)::bigint & 4294967295)::oid)
        """;

    [Fact]
    public async Task A_tenants_history_work_holds_up_only_writers_of_that_tenant()
    {
        var ct = TestContext.Current.CancellationToken;
        var busy = await TestTenant.CreateAsync(database);
        var other = await TestTenant.CreateAsync(database);
        var writes = new CallLogBatchWriter(database.DataSource);

        // Another writer of the busy tenant, between its derived-table work and its commit.
        await using var holder = await database.DataSource.OpenConnectionAsync(ct);
        await using var transaction = await holder.BeginTransactionAsync(ct);
        await holder.ExecuteAsync(new CommandDefinition("select call_history_lock(array[@tenantId]::text[])", new { tenantId = busy.TenantId }, transaction, cancellationToken: ct));

        await writes.SaveAsync([new RandomCalls(1, other.TenantId, From, TimeSpan.FromHours(1)).Ended()], ct).WaitAsync(TimeSpan.FromSeconds(30), ct);

        var sameTenant = writes.SaveAsync([new RandomCalls(2, busy.TenantId, From, TimeSpan.FromHours(1)).Ended()], ct);
        await using var observer = await database.DataSource.OpenConnectionAsync(ct);
        for (var i = 0; i < 300 && await observer.ExecuteScalarAsync<long>(new CommandDefinition(WaitingHistoryLocks, new { tenantId = busy.TenantId }, cancellationToken: ct)) == 0; i++)
        {
            await Task.Delay(100, ct);
        }

        Assert.Equal(1, await observer.ExecuteScalarAsync<long>(new CommandDefinition(WaitingHistoryLocks, new { tenantId = busy.TenantId }, cancellationToken: ct)));
        Assert.False(sameTenant.IsCompleted);

        await transaction.CommitAsync(ct);
        await sameTenant.WaitAsync(TimeSpan.FromSeconds(30), ct);
        Assert.Equal(2, await observer.ExecuteScalarAsync<long>(new CommandDefinition(
            "select count(*) from call_logs where tenant_id = any(@tenants)", new { tenants = new[] { busy.TenantId, other.TenantId } }, cancellationToken: ct)));
    }
}
