using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Telephony.Api.PbxEvents;
using Telephony.Core.Storage;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.PbxEvents;

/// <summary>The journal replay: what the bridge was told is accepted ends up in the call log, once.</summary>
public sealed class JournalReplayTests(TelephonyApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_batch_journaled_but_never_applied_is_replayed_into_the_call_log_and_then_left_alone()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        var journal = api.Services.GetRequiredService<EventJournal>();
        var cdr = PbxFrames.Cdr("1700009000.1", "89161230000", "1001", "ANSWERED", "Inbound", new DateTime(2026, 3, 4, 12, 0, 0), 90, 60).ToJsonString();

        // As if the API died between the journal's commit and the grain: journaled, never applied.
        var append = await journal.AppendAsync(tenant.TenantId, tenant.PbxId, [new("cdr:1700009000.1", "test-bridge", 1, "websocket", DateTimeOffset.UtcNow, cdr, "30012", "1700009000.1", null)], Ct);
        Assert.Equal([append.BatchId], await journal.UnappliedBatchesAsync(tenant.TenantId, tenant.PbxId, Ct));

        Assert.True(await ReplayAsync() >= 1);

        using var agent = api.CreateClient(tenant.AgentKey);
        var call = await Eventually.GetAsync(agent, "api/calls/1700009000.1", c => c.GetProperty("status").GetString() == "ended");
        Assert.Equal("answered", call.GetProperty("outcome").GetString());
        await WaitForNoUnappliedBatchAsync(journal, tenant);
        Assert.Equal(1, await CountCallsAsync(tenant));
    }

    [Fact]
    public async Task Replaying_a_batch_whose_mark_was_lost_changes_nothing()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        var journal = api.Services.GetRequiredService<EventJournal>();
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);
        await PbxFrames.PostAsync(
            bridge,
            tenant.PbxId,
            PbxFrames.Ringing("1700009100.1", "89161230001", "1001"),
            PbxFrames.Cdr("1700009100.1", "89161230001", "1001", "NO ANSWER", "Inbound", new DateTime(2026, 3, 4, 12, 5, 0), 20, 0));
        var before = await Eventually.GetAsync(agent, "api/calls/1700009100.1", c => c.GetProperty("outcome").GetString() == "missed");
        await WaitForNoUnappliedBatchAsync(journal, tenant);

        // The mark is written without waiting for the disk; a crash can lose it, and then the batch is replayed.
        await using (var connection = await api.Database.DataSource.OpenConnectionAsync(Ct))
        {
            await connection.ExecuteAsync("update pbx_event_batches set applied_at = null where tenant_id = @TenantId", new { tenant.TenantId });
        }

        Assert.True(await ReplayAsync() >= 2);
        await WaitForNoUnappliedBatchAsync(journal, tenant);
        var after = await agent.GetFromJsonAsync<JsonElement>("api/calls/1700009100.1", Ct);
        Assert.Equal(before.GetProperty("id").GetString(), after.GetProperty("id").GetString());
        Assert.Equal("missed", after.GetProperty("outcome").GetString());
        Assert.Equal(before.GetProperty("ringSeconds").GetRawText(), after.GetProperty("ringSeconds").GetRawText());
        Assert.Equal(1, await CountCallsAsync(tenant));
    }

    private Task<int> ReplayAsync() => api.Services.GetRequiredService<JournalReplayService>().ReplayOnceAsync(Ct, settledFor: TimeSpan.Zero);

    private static async Task WaitForNoUnappliedBatchAsync(EventJournal journal, TestTenant tenant)
    {
        for (var i = 0; i < 600 && (await journal.UnappliedBatchesAsync(tenant.TenantId, tenant.PbxId, Ct)).Count > 0; i++)
        {
            await Task.Delay(50, Ct);
        }

        Assert.Empty(await journal.UnappliedBatchesAsync(tenant.TenantId, tenant.PbxId, Ct));
    }

    private async Task<long> CountCallsAsync(TestTenant tenant)
    {
        await using var connection = await api.Database.DataSource.OpenConnectionAsync(Ct);
        return await connection.ExecuteScalarAsync<long>("select count(*) from call_logs where tenant_id = @TenantId", new { tenant.TenantId });
    }
}
