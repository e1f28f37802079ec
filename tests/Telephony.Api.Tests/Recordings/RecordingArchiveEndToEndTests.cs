using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Telephony.Api.Recordings;
using Telephony.PbxSimulator;

namespace Telephony.Api.Tests.Recordings;

/// <summary>
/// Issue 13 §1 end to end, both PBX families: the simulator records a call; the real bridge fetches it and the real API
/// stores it in Azurite; the stored blob is the PBX's file, downloaded once. A recorded call that ends while the link is
/// down comes by the CDR backfill, and its recording is archived all the same.
/// </summary>
public sealed class RecordingArchiveEndToEndTests(TelephonyApiFactory api)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Kinds => ["p-series", "s-series"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_recorded_call_ends_and_its_recording_is_archived_in_blob_storage_as_the_pbx_recorded_it(string kind)
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(api.Database);
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(Options(kind), ct);
        await using var bridge = await RunningBridge.StartAsync(api, pbx, tenant, Settings(kind));
        using var agent = await LinkedAgentAsync(tenant);

        var pbxCallId = pbx.StartInboundCall("89991234567", "1001", ringFor: TimeSpan.FromSeconds(2), talkFor: TimeSpan.FromSeconds(4), record: true);

        var call = await Eventually.GetAsync(agent, $"api/calls/{pbxCallId}", c => RecordingStatus(c) == "archived", Timeout);
        var file = pbx.RecordingOf(pbxCallId)!;
        Assert.Equal(file, call.GetProperty("recording").GetProperty("file").GetString());
        var blob = new BlobContainerClient(TestServices.Azurite, RecordingStore.DefaultContainer).GetBlobClient($"{tenant.TenantId}/{call.GetProperty("id").GetGuid():N}.wav");
        Assert.Equal(pbx.Recordings[file], (await blob.DownloadContentAsync(ct)).Value.Content.ToArray());
        Assert.Equal(pbx.Recordings[file], await agent.GetByteArrayAsync(call.GetProperty("recording").GetProperty("url").GetString()!.TrimStart('/'), ct));
        Assert.Equal(1, pbx.RecordingDownloadCount(file));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_recorded_call_that_ends_while_the_link_is_down_is_archived_after_the_reconnect(string kind)
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(api.Database);
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(Options(kind), ct);
        await using var bridge = await RunningBridge.StartAsync(api, pbx, tenant, Settings(kind));
        using var agent = await LinkedAgentAsync(tenant);

        pbx.Faults.Offline = true;
        await Eventually.GetAsync(agent, "api/pbx", p => p.EnumerateArray().All(x => !x.GetProperty("connected").GetBoolean()), Timeout);
        var pbxCallId = pbx.StartInboundCall("89991234568", "1002", ringFor: TimeSpan.FromSeconds(1), talkFor: TimeSpan.FromSeconds(3), record: true);
        await pbx.WhenCallCompletedAsync(pbxCallId, ct).WaitAsync(Timeout, ct);
        pbx.Faults.Offline = false;

        var call = await Eventually.GetAsync(agent, $"api/calls/{pbxCallId}", c => RecordingStatus(c) == "archived", Timeout);
        var file = pbx.RecordingOf(pbxCallId)!;
        Assert.Equal("answered", call.GetProperty("outcome").GetString());
        Assert.Equal(pbx.Recordings[file], await agent.GetByteArrayAsync($"api/calls/{pbxCallId}/recording", ct));
        Assert.Equal(1, pbx.RecordingDownloadCount(file));
    }

    // The tenant's agent client, once the bridge has reported its PBX linked.
    private async Task<HttpClient> LinkedAgentAsync(TestTenant tenant)
    {
        var agent = api.CreateClient(tenant.AgentKey);
        await Eventually.GetAsync(agent, "api/pbx", p => p.EnumerateArray().Any(x => x.GetProperty("connected").GetBoolean()), Timeout);
        return agent;
    }

    private static string? RecordingStatus(JsonElement call) =>
        call.TryGetProperty("recording", out var recording) && recording.ValueKind == JsonValueKind.Object ? recording.GetProperty("status").GetString() : null;

    private static PbxSimulatorOptions Options(string kind) => new()
    {
        Kind = kind,
        TimeScale = 10,
        IdleTimeout = TimeSpan.FromMinutes(10),
        SSeriesEventRetryDelay = TimeSpan.FromMilliseconds(50),
    };

    private static Dictionary<string, string?> Settings(string kind) => new()
    {
        ["YEASTAR_API_VERSION"] = kind == "s-series" ? "v2.0.0" : "v1.0",
        ["YEASTAR_TIMEZONE"] = new PbxSimulatorOptions().TimeZone,
        ["YEASTAR_CDR_SWEEP_SECONDS"] = "5",
    };
}
