using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.PbxEvents;

/// <summary>A new call's pop-up goes out while its frame is being journaled, and the call is still applied once.</summary>
public sealed class EarlyPopTests(TelephonyApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_pop_goes_out_while_the_journal_waits_and_the_call_is_then_logged_once_with_one_pop()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        await using var hub = await api.ConnectHubAsync(tenant.AgentKey);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        const string callId = "1700009300.1";
        var receivedAt = DateTimeOffset.UtcNow;
        var ringing = PbxFrames.Batch(receivedAt, PbxFrames.Ringing(callId, "89160003333", "1001"));

        Task<HttpResponseMessage> posted;
        LiveEvent pop;
        await using (var connection = await api.Database.DataSource.OpenConnectionAsync(Ct))
        await using (var locked = await connection.BeginTransactionAsync(Ct))
        {
            // Every journal append begins with a batch row: while this lock is held, none commits.
            await new NpgsqlCommand("lock table pbx_event_batches in exclusive mode", connection, locked).ExecuteNonQueryAsync(Ct);
            posted = bridge.PostAsync($"api/pbx/{tenant.PbxId}/events", PbxFrames.Body(ringing), Ct);

            pop = await hub.WaitForAsync(e => e.Name == "call:ringing" && e.PbxCallId == callId, TimeSpan.FromSeconds(10));

            Assert.Equal("+79160003333", pop.Text("externalNumber"));
            Assert.False(posted.IsCompleted, "The bridge heard 'accepted' before the frame was journaled.");
            Assert.Equal(0L, await new NpgsqlCommand($"select count(*) from pbx_event_journal where tenant_id = '{tenant.TenantId}'", connection, locked).ExecuteScalarAsync(Ct));
            Assert.Equal(0L, await new NpgsqlCommand($"select count(*) from call_logs where tenant_id = '{tenant.TenantId}'", connection, locked).ExecuteScalarAsync(Ct));
            await locked.RollbackAsync(Ct);
        }

        using (var accepted = await posted)
        {
            accepted.EnsureSuccessStatusCode();
        }

        // The bridge sends the same batch again (it never heard the first answer), then the call ends unanswered.
        using (var again = await bridge.PostAsync($"api/pbx/{tenant.PbxId}/events", PbxFrames.Body(ringing), Ct))
        {
            Assert.Equal(1, (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("duplicates").GetInt32());
        }

        await PbxFrames.PostAsync(bridge, tenant.PbxId, PbxFrames.Cdr(callId, "89160003333", "1001", "NO ANSWER", "Inbound", DateTime.UtcNow.AddMinutes(-1), 20, 0));
        await hub.WaitForAsync(e => e.Name == "call:ended" && e.PbxCallId == callId);

        var pushes = hub.Drain().Where(e => e.PbxCallId == callId).Select(e => e.Name).ToList();
        Assert.Equal(1, pushes.Count(n => n == "call:new"));
        Assert.Equal(1, pushes.Count(n => n == "call:ringing"));
        using var agent = api.CreateClient(tenant.AgentKey);
        var logged = await Eventually.GetAsync(agent, $"api/calls/logs?phone=89160003333", page => page.GetProperty("items").GetArrayLength() == 1 && page.GetProperty("items")[0].GetProperty("outcome").GetString() == "missed");

        // The call the operator saw is the call that was logged.
        Assert.Equal(pop.Text("id"), logged.GetProperty("items")[0].GetProperty("id").GetString());
    }
}
