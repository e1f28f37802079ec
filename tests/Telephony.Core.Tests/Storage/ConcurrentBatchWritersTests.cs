using System.Text.Json;
using Dapper;
using Telephony.Core.Calls;
using Telephony.Core.Statistics;
using Telephony.Core.Storage;
using Telephony.TestSupport;

namespace Telephony.Core.Tests.Storage;

// Issue 10: the API's write-behind runs two CallLogBatchWriters at once, each batch mixing tenants, new calls (some
// already ended, as when a call's frames arrive in one batch) and updates of calls it wrote before. The derived tables
// (stats rollups, callback queue, search text, extension index) must come out exactly as a plain query over
// call_logs computes them, and the writers must never deadlock.
public sealed class ConcurrentBatchWritersTests(TestDatabase database)
{
    private static readonly DateTimeOffset From = new(2026, 4, 1, 21, 0, 0, TimeSpan.Zero);

    // Rows of call_search and call_extension_calls the triggers kept that a plain query would not give, and the other
    // way round.
    private const string SearchAndExtensionDifferences =
        """
        with expected_search as (
          select c.id, coalesce(c.started_at, '-infinity'::timestamptz) as sort_at,
                 lower(concat_ws(E'\x1f', c.from_number, c.to_number, c.external_number, c.external_e164, c.customer_name,
                   (select string_agg(n.note, E'\x1f' order by n.created_at, n.id) from call_notes n where n.tenant_id = c.tenant_id and n.call_id = c.id))) as search_text
          from call_logs c where c.tenant_id = @TenantId),
        kept_search as (select call_id as id, sort_at, search_text from call_search where tenant_id = @TenantId),
        expected_extensions as (
          select distinct l.extension, coalesce(c.started_at, '-infinity'::timestamptz) as sort_at, l.call_id
          from call_legs l join call_logs c on c.tenant_id = l.tenant_id and c.id = l.call_id where l.tenant_id = @TenantId),
        kept_extensions as (select extension, sort_at, call_id from call_extension_calls where tenant_id = @TenantId)
        select (select count(*) from (select * from expected_search except select * from kept_search) a)
             + (select count(*) from (select * from kept_search except select * from expected_search) b)
             + (select count(*) from (select * from expected_extensions except select * from kept_extensions) c)
             + (select count(*) from (select * from kept_extensions except select * from expected_extensions) d)
        """;

    [Fact]
    public async Task Two_batch_writers_over_the_same_tenants_hours_and_numbers_keep_every_derived_table_exact()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenants = new[] { await TestTenant.CreateAsync(database), await TestTenant.CreateAsync(database) };

        // Each writer has its own calls, spread over both tenants, the same six hours and the same 30 numbers.
        await Task.WhenAll(Enumerable.Range(0, 2).Select(w => Task.Run(() => WriteAsync(w, tenants, ct), ct)));

        var stats = new StatisticsRepository(database.DataSource);
        var calls = new CallRepository(database.DataSource);
        await using var connection = await database.DataSource.OpenConnectionAsync(ct);
        foreach (var tenantId in tenants.Select(t => t.TenantId))
        {
            foreach (var grouping in Enum.GetValues<StatsGrouping>())
            {
                foreach (var extension in new string?[] { null, "1001", "6300" })
                {
                    var query = new StatsQuery(From, From.AddDays(1), "Europe/Moscow", 20, 5, grouping, extension);
                    Assert.Equal(
                        JsonSerializer.Serialize(await stats.QueryCallsAsync(tenantId, query, ct)),
                        JsonSerializer.Serialize(await stats.QueryRollupsAsync(tenantId, query, StatsRollupRange.For(query)!, ct)));
                }
            }

            var expected = (await connection.QueryAsync<Guid>(new CommandDefinition(CallbackQueueTests.Definition, new { TenantId = tenantId }, cancellationToken: ct))).ToHashSet();
            var queue = await calls.ListOpenMissedAsync(tenantId, 1000, ct);
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Order(), queue.Select(c => c.Id).Order());
            Assert.Equal(0, await connection.ExecuteScalarAsync<long>(new CommandDefinition(SearchAndExtensionDifferences, new { TenantId = tenantId }, cancellationToken: ct)));
        }
    }

    // A pipeline as the write-behind sees it: each batch holds new calls (one in three already ended), the previous
    // batch's calls answered-and-ended from live events, and the calls before those with their CDR (some disagreeing).
    private async Task WriteAsync(int writer, TestTenant[] tenants, CancellationToken ct)
    {
        var sources = tenants.Select((t, i) => new RandomCalls(300 + (writer * 10) + i, t.TenantId, From, TimeSpan.FromHours(6))).ToArray();
        var batches = Enumerable.Range(0, 16)
            .Select(b => Enumerable.Range(0, 24).Select(i => sources[(b + i) % sources.Length].Ended()).ToList())
            .ToList();
        var writes = new CallLogBatchWriter(database.DataSource);
        for (var b = 0; b < batches.Count + 2; b++)
        {
            var batch = new List<CallRecord>();
            if (b < batches.Count)
            {
                batch.AddRange(batches[b].Select((c, i) => i % 3 == 0 ? c : RandomCalls.Ringing(c)));
            }

            if (b >= 1 && b - 1 < batches.Count)
            {
                batch.AddRange(batches[b - 1].Select(RandomCalls.EndedLive));
            }

            if (b >= 2)
            {
                batch.AddRange(batches[b - 2].Select((c, i) => i % 4 == 0 ? sources[0].Corrected(c) : c));
            }

            await writes.SaveAsync(batch, ct);
        }
    }
}
