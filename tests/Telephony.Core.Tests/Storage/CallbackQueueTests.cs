using Dapper;
using Telephony.Core.Calls;
using Telephony.Core.Storage;
using Telephony.TestSupport;

namespace Telephony.Core.Tests.Storage;

// Issue 10: the callback queue is a table a trigger keeps; it must list what the definition over call_logs lists.
public sealed class CallbackQueueTests(TestDatabase database)
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 9, 0, 0, TimeSpan.Zero);

    // The definition, as the query before the table read it: per number, the oldest inbound missed call
    // that no answered call (either way) has followed; oldest first (ties broken by id, as the table does).
    internal const string Definition =
        """
        select id from call_logs
        where id in (
          select distinct on (m.external_e164) m.id
          from call_logs m
          where m.tenant_id = @TenantId and m.direction = 'inbound' and m.outcome = 'missed' and m.external_e164 is not null
            and not exists (
              select 1 from call_logs r
              where r.tenant_id = m.tenant_id and r.external_e164 = m.external_e164
                and r.outcome = 'answered' and r.started_at > m.started_at)
          order by m.external_e164, m.started_at, m.id)
        and tenant_id = @TenantId
        order by started_at, id
        """;

    [Fact]
    public async Task Queue_equals_its_definition_after_multi_row_upserts_corrections_and_deletes()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        var random = new RandomCalls(21, tenant.TenantId, T0, TimeSpan.FromDays(2));
        var calls = Enumerable.Range(0, 300).Select(_ => random.Ended()).ToList();
        foreach (var batch in calls.Chunk(30))
        {
            await new CallLogBatchWriter(database.DataSource).SaveAsync([.. batch.Select(RandomCalls.Ringing)], ct);
            await new CallLogBatchWriter(database.DataSource).SaveAsync([.. batch.Select(RandomCalls.EndedLive)], ct);
        }

        await AssertQueueIsDefinitionAsync(tenant.TenantId, ct);

        // CDRs that turn answers into misses and back, move starts and hand calls to other phones.
        await new CallLogBatchWriter(database.DataSource).SaveAsync([.. calls.Where((_, i) => i % 2 == 0).Select(random.Corrected)], ct);
        await AssertQueueIsDefinitionAsync(tenant.TenantId, ct);

        await using (var connection = await database.DataSource.OpenConnectionAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "delete from call_logs where tenant_id = @TenantId and id = any(@Ids)",
                new { tenant.TenantId, Ids = calls.Where((_, i) => i % 7 == 0).Select(c => c.Id).ToArray() }, cancellationToken: ct));
        }

        await AssertQueueIsDefinitionAsync(tenant.TenantId, ct);
    }

    [Fact]
    public async Task Concurrent_writers_of_the_same_numbers_leave_no_stale_entry()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);

        // Four writers, each with its own calls, all from the same 30 numbers within the same hours.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var random = new RandomCalls(200 + w, tenant.TenantId, T0, TimeSpan.FromHours(6));
            foreach (var batch in Enumerable.Range(0, 120).Select(_ => random.Ended()).Chunk(15))
            {
                await new CallLogBatchWriter(database.DataSource).SaveAsync([.. batch.Select(RandomCalls.Ringing)], ct);
                await new CallLogBatchWriter(database.DataSource).SaveAsync(batch, ct);
            }
        }, ct)));

        await AssertQueueIsDefinitionAsync(tenant.TenantId, ct);
    }

    [Fact]
    public async Task An_answered_call_back_closes_the_number_and_a_later_miss_reopens_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        var calls = new CallRepository(database.DataSource);
        var missed = Call(tenant.TenantId, "1.1", CallDirection.Inbound, CallOutcome.Missed, T0);
        await calls.SaveAsync(missed, ct);
        Assert.Equal([missed.Id], (await calls.ListOpenMissedAsync(tenant.TenantId, 10, ct)).Select(c => c.Id));

        await calls.SaveAsync(Call(tenant.TenantId, "1.2", CallDirection.Outbound, CallOutcome.Answered, T0.AddMinutes(5)), ct);
        Assert.Empty(await calls.ListOpenMissedAsync(tenant.TenantId, 10, ct));

        var again = Call(tenant.TenantId, "1.3", CallDirection.Inbound, CallOutcome.Missed, T0.AddMinutes(9));
        await calls.SaveAsync(again, ct);
        var queue = await calls.ListOpenMissedAsync(tenant.TenantId, 10, ct);
        Assert.Equal([again.Id], queue.Select(c => c.Id));
        Assert.NotEmpty(queue[0].State.Legs);
    }

    private async Task AssertQueueIsDefinitionAsync(string tenantId, CancellationToken ct)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(ct);
        var expected = (await connection.QueryAsync<Guid>(new CommandDefinition(Definition, new { TenantId = tenantId }, cancellationToken: ct))).ToList();
        var queue = await new CallRepository(database.DataSource).ListOpenMissedAsync(tenantId, 500, ct);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, queue.Select(c => c.Id));
    }

    private static CallRecord Call(string tenantId, string pbxCallId, CallDirection direction, CallOutcome outcome, DateTimeOffset at) =>
        CallRecord.From(tenantId, "main", Guid.CreateVersion7(at), CallState.New(pbxCallId) with
        {
            Direction = direction,
            Status = CallStatus.Ended,
            Outcome = outcome,
            ExternalNumber = "89990001122",
            Extension = "1001",
            StartedAt = at,
            EndedAt = at.AddSeconds(30),
            RingSeconds = 30,
            TalkSeconds = 0,
            HasCdr = true,
            LastEventAt = at.AddSeconds(30),
            Legs = [new CallLeg("1001", at, null, at.AddSeconds(30), CallOutcome.Missed)],
        }, "+79990001122");
}
