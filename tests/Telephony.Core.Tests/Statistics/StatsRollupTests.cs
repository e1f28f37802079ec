using System.Text.Json;
using Dapper;
using Telephony.Core.Calls;
using Telephony.Core.Statistics;
using Telephony.Core.Storage;
using Telephony.Core.Tests.Storage;
using Telephony.TestSupport;

namespace Telephony.Core.Tests.Statistics;

// Issue 10: stats read rollups kept by triggers; they must say exactly what the query over call_logs says.
public sealed class StatsRollupTests(TestDatabase database)
{
    private static readonly DateTimeOffset From = new(2026, 3, 1, 21, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Rollups_equal_the_calls_after_multi_row_upserts_repeated_updates_orders_and_deletes()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        var random = new RandomCalls(11, tenant.TenantId, From, TimeSpan.FromDays(3));
        var calls = Enumerable.Range(0, 400).Select(_ => random.Ended()).ToList();

        // Each call is written as it rings, as it ends from live events, with its CDR, and some with a CDR that
        // disagrees - every step a multi-row upsert of 40 calls.
        foreach (var step in new Func<CallRecord, CallRecord>[] { RandomCalls.Ringing, RandomCalls.EndedLive, c => c })
        {
            foreach (var batch in calls.Chunk(40))
            {
                await new CallLogBatchWriter(database.DataSource).SaveAsync([.. batch.Select(step)], ct);
            }
        }

        var corrected = calls.Where((_, i) => i % 3 == 0).Select(random.Corrected).ToList();
        await new CallLogBatchWriter(database.DataSource).SaveAsync(corrected, ct);
        var repository = new CallRepository(database.DataSource);
        foreach (var call in calls.Where((_, i) => i % 5 == 0))
        {
            await repository.AddOrderAsync(tenant.TenantId, call.Id, $"o-{call.Id}", ct);
            await repository.AddOrderAsync(tenant.TenantId, call.Id, $"o2-{call.Id}", ct);
        }

        await using (var connection = await database.DataSource.OpenConnectionAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "delete from call_logs where tenant_id = @TenantId and id = any(@Ids)",
                new { tenant.TenantId, Ids = calls.Where((_, i) => i % 17 == 0).Select(c => c.Id).ToArray() }, cancellationToken: ct));
        }

        await AssertRollupsEqualCallsAsync(tenant.TenantId, ct);
    }

    [Fact]
    public async Task Rollups_stay_exact_under_concurrent_writers_of_the_same_hours()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);

        // Four writers, each with its own calls, all in the same few hours: they contend for the same rollup rows.
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var random = new RandomCalls(100 + w, tenant.TenantId, From, TimeSpan.FromHours(5));
            var calls = Enumerable.Range(0, 200).Select(_ => random.Ended()).ToList();
            foreach (var batch in calls.Chunk(25))
            {
                await new CallLogBatchWriter(database.DataSource).SaveAsync([.. batch.Select(RandomCalls.Ringing)], ct);
                await new CallLogBatchWriter(database.DataSource).SaveAsync(batch, ct);
            }

            await new CallLogBatchWriter(database.DataSource).SaveAsync([.. calls.Where((_, i) => i % 2 == 0).Select(random.Corrected)], ct);
        }, ct)).ToList();
        await Task.WhenAll(writers);

        await AssertRollupsEqualCallsAsync(tenant.TenantId, ct);
    }

    [Fact]
    public async Task Rollups_answer_ranges_of_whole_months_days_and_hours()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        var random = new RandomCalls(13, tenant.TenantId, From, TimeSpan.FromDays(80));
        foreach (var batch in Enumerable.Range(0, 600).Select(_ => random.Ended()).Chunk(100))
        {
            await new CallLogBatchWriter(database.DataSource).SaveAsync([.. batch.Select(RandomCalls.Ringing)], ct);
            await new CallLogBatchWriter(database.DataSource).SaveAsync(batch, ct);
        }

        var stats = new StatisticsRepository(database.DataSource);
        foreach (var grouping in new[] { StatsGrouping.None, StatsGrouping.Extension, StatsGrouping.Day })
        {
            foreach (var extension in new string?[] { null, "1002" })
            {
                // Moscow days from 2 March to 19 May: months March and April whole, days and hours at both ends.
                var query = Query(grouping, extension, 20, 5) with { From = From.AddDays(1), To = From.AddDays(79) };
                var range = StatsRollupRange.For(query);
                Assert.True(range!.HasMonths);
                Assert.Equal(Json(await stats.QueryCallsAsync(tenant.TenantId, query, ct)), Json(await stats.QueryRollupsAsync(tenant.TenantId, query, range, ct)));
            }
        }
    }

    [Fact]
    public async Task Rebuilding_the_rollups_gives_what_the_triggers_kept()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        var random = new RandomCalls(7, tenant.TenantId, From, TimeSpan.FromDays(2));
        await new CallLogBatchWriter(database.DataSource).SaveAsync([.. Enumerable.Range(0, 150).Select(_ => random.Ended())], ct);
        var stats = new StatisticsRepository(database.DataSource);
        var query = Query(StatsGrouping.Extension, null, 20, 5);
        var kept = Json(await stats.QueryRollupsAsync(tenant.TenantId, query, StatsRollupRange.For(query)!, ct));

        await using (var connection = await database.DataSource.OpenConnectionAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition("select call_rollups_rebuild(@TenantId)", new { tenant.TenantId }, cancellationToken: ct));
        }

        Assert.Equal(kept, Json(await stats.QueryRollupsAsync(tenant.TenantId, query, StatsRollupRange.For(query)!, ct)));
    }

    [Theory]
    [InlineData("Europe/Moscow", 20, 5, true)]
    [InlineData("UTC", 3600, 600, true)]
    [InlineData("America/New_York", 20, 5, true)]
    [InlineData("Asia/Kolkata", 20, 5, false)]
    [InlineData("Europe/Moscow", 3601, 5, false)]
    [InlineData("Europe/Moscow", 20, 601, false)]
    public void Rollups_answer_whole_hour_zones_and_thresholds_they_keep(string zone, int sla, int shortAbandon, bool rollups)
    {
        // A New York range across the March DST change: offsets change on a UTC hour, so the rollups still answer.
        var from = new DateTimeOffset(2026, 3, 1, 5, 0, 0, TimeSpan.Zero);
        var query = new StatsQuery(from, from.AddDays(30), zone, sla, shortAbandon);
        Assert.Equal(rollups, StatsRollupRange.For(query) is not null);
        Assert.Null(StatsRollupRange.For(query with { From = from.AddMinutes(30) }));
    }

    private async Task AssertRollupsEqualCallsAsync(string tenantId, CancellationToken ct)
    {
        var stats = new StatisticsRepository(database.DataSource);
        foreach (var grouping in Enum.GetValues<StatsGrouping>())
        {
            foreach (var extension in new string?[] { null, "1001", "6300" })
            {
                foreach (var (sla, shortAbandon) in new[] { (20, 5), (1, 0), (30, 600), (3600, 1) })
                {
                    // Ranges that start and end mid-UTC-day (Moscow midnights), one within a single UTC day.
                    foreach (var (from, to) in new[] { (From, From.AddDays(3)), (From.AddHours(3), From.AddHours(40)), (From.AddHours(4), From.AddHours(9)) })
                    {
                        var query = Query(grouping, extension, sla, shortAbandon) with { From = from, To = to };
                        var range = StatsRollupRange.For(query);
                        Assert.NotNull(range);
                        var expected = Json(await stats.QueryCallsAsync(tenantId, query, ct));
                        Assert.Equal(expected, Json(await stats.QueryRollupsAsync(tenantId, query, range, ct)));
                    }
                }
            }
        }
    }

    private static StatsQuery Query(StatsGrouping grouping, string? extension, int sla, int shortAbandon) =>
        new(From, From.AddDays(3), "Europe/Moscow", sla, shortAbandon, grouping, extension);

    private static string Json(IReadOnlyList<CallStatsRow> rows) => JsonSerializer.Serialize(rows);
}
