using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Telephony.Api.Tests.Replicas;

/// <summary>
/// Issue 12 §1–§2 against two real replicas: any replica answers any request, a call's frames applied in order and once
/// whichever replica each batch reached, a hub token of one replica good at the other, and pops across replicas.
/// </summary>
public sealed class ReplicaTests(ReplicaCluster cluster) : IClassFixture<ReplicaCluster>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_call_whose_batches_land_on_alternate_replicas_is_logged_once_with_the_right_outcome_on_both()
    {
        var tenant = await TestTenant.CreateAsync(cluster.Database);
        using var bridgeA = cluster.A.CreateClient(tenant.BridgeKey);
        using var bridgeB = cluster.B.CreateClient(tenant.BridgeKey);
        var start = DateTime.UtcNow.AddHours(3).AddMinutes(-2); // the tenant's PBX runs on Moscow time

        // Call 1 rings through A and ends (answered) through B; call 2 the other way round, missed.
        await PbxFrames.PostAsync(bridgeA, tenant.PbxId, PbxFrames.Ringing("1700020000.1", "89160004444", "1001"));
        await PbxFrames.PostAsync(bridgeB, tenant.PbxId, PbxFrames.Ringing("1700020000.2", "89160005555", "1002"));
        await PbxFrames.PostAsync(bridgeB, tenant.PbxId, PbxFrames.Cdr("1700020000.1", "89160004444", "1001", "ANSWERED", "Inbound", start, 40, 30));
        await PbxFrames.PostAsync(bridgeA, tenant.PbxId, PbxFrames.Cdr("1700020000.2", "89160005555", "1002", "NO ANSWER", "Inbound", start, 20, 0));

        foreach (var replica in new[] { cluster.A, cluster.B })
        {
            using var agent = replica.CreateClient(tenant.AgentKey);
            var page = await Eventually.GetAsync(agent, "api/calls/logs?limit=10", p =>
                p.GetProperty("items").EnumerateArray().Count(c => c.GetProperty("status").GetString() == "ended") == 2);
            var calls = page.GetProperty("items").EnumerateArray().ToDictionary(c => c.GetProperty("externalNumber").GetString()!);
            Assert.Equal(2, page.GetProperty("items").GetArrayLength());
            Assert.Equal("answered", calls["+79160004444"].GetProperty("outcome").GetString());
            Assert.Equal(30, calls["+79160004444"].GetProperty("talkSeconds").GetInt32());
            Assert.Equal("missed", calls["+79160005555"].GetProperty("outcome").GetString());
        }

        await using var connection = await cluster.Database.DataSource.OpenConnectionAsync(Ct);
        await using var count = new Npgsql.NpgsqlCommand("select count(*) from call_logs where tenant_id = $1", connection) { Parameters = { new() { Value = tenant.TenantId } } };
        Assert.Equal(2L, await count.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task A_hub_token_of_one_replica_connects_to_the_other_and_its_client_gets_the_pop_for_frames_posted_to_the_first()
    {
        var tenant = await TestTenant.CreateAsync(cluster.Database);
        var other = await TestTenant.CreateAsync(cluster.Database);
        using var agentA = cluster.A.CreateClient(tenant.AgentKey);
        using var negotiated = await agentA.PostAsync("api/negotiate", content: null, Ct);
        Assert.Equal(HttpStatusCode.OK, negotiated.StatusCode);
        var token = (await negotiated.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString()!;

        await using var onB = await ReplicaCluster.ConnectHubAsync(cluster.B, token);
        await using var otherOnB = await ReplicaCluster.ConnectHubAsync(cluster.B, await NegotiateAsync(cluster.B, other.AgentKey));
        using var bridgeA = cluster.A.CreateClient(tenant.BridgeKey);
        await PbxFrames.PostAsync(bridgeA, tenant.PbxId, PbxFrames.Ringing("1700020100.1", "89160006666", "1001"));

        var pop = await onB.WaitForAsync(e => e.Name == "call:ringing" && e.PbxCallId == "1700020100.1", TimeSpan.FromSeconds(15));
        Assert.Equal("+79160006666", pop.Text("externalNumber"));

        // The other tenant's client on the same replica hears nothing of it.
        await PbxFrames.PostAsync(cluster.B.CreateClient(other.BridgeKey), other.PbxId, PbxFrames.Ringing("1700020100.2", "89160007777", "1001"));
        await otherOnB.WaitForAsync(e => e.Name == "call:ringing" && e.PbxCallId == "1700020100.2", TimeSpan.FromSeconds(15));
        Assert.DoesNotContain(otherOnB.Drain(), e => e.PbxCallId == "1700020100.1");
    }

    [Fact]
    public async Task Both_replicas_are_silos_of_one_cluster_on_azure_table_membership()
    {
        Assert.Equal(2, await ReplicaCluster.ActiveSilosAsync(cluster.A));
        Assert.Equal(2, await ReplicaCluster.ActiveSilosAsync(cluster.B));
    }

    private static async Task<string> NegotiateAsync(ApiHost replica, string agentKey)
    {
        using var agent = replica.CreateClient(agentKey);
        using var negotiated = await agent.PostAsync("api/negotiate", content: null, Ct);
        negotiated.EnsureSuccessStatusCode();
        return (await negotiated.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("accessToken").GetString()!;
    }
}
