using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Telephony.Api.Recordings;
using Telephony.Core.Tenancy;

namespace Telephony.Api.Tests.Recordings;

/// <summary>
/// Issue 13 §1, the API's half: a call whose CDR names a recording waits for its bridge; the upload lands in Blob
/// Storage (Azurite); agents of the tenant play it with ranges; the tenant admin erases it (audited); retention removes
/// old recordings and only those.
/// </summary>
public sealed class RecordingsApiTests(TelephonyApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_recording_named_by_the_cdr_is_pending_until_the_bridge_uploads_it_then_plays_with_ranges_for_its_tenant_only()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);
        var (callId, file) = await RecordedCallAsync(bridge, agent, tenant);

        var call = await agent.GetFromJsonAsync<JsonElement>($"api/calls/{callId}", Ct);
        Assert.Equal(file, call.GetProperty("recording").GetProperty("file").GetString());
        Assert.Equal("pending", call.GetProperty("recording").GetProperty("status").GetString());
        var pending = await bridge.GetFromJsonAsync<JsonElement>($"api/pbx/{tenant.PbxId}/recordings/pending", Ct);
        var item = Assert.Single(pending.EnumerateArray());
        Assert.Equal(file, item.GetProperty("file").GetString());

        var audio = Wav(8000);
        using (var upload = await UploadAsync(bridge, tenant.PbxId, callId, audio))
        {
            Assert.Equal(HttpStatusCode.NoContent, upload.StatusCode);
        }

        Assert.Empty((await bridge.GetFromJsonAsync<JsonElement>($"api/pbx/{tenant.PbxId}/recordings/pending", Ct)).EnumerateArray());
        call = await agent.GetFromJsonAsync<JsonElement>($"api/calls/{callId}", Ct);
        Assert.Equal("archived", call.GetProperty("recording").GetProperty("status").GetString());
        var url = call.GetProperty("recording").GetProperty("url").GetString()!;

        using (var whole = await agent.GetAsync(url.TrimStart('/'), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal("audio/wav", whole.Content.Headers.ContentType?.MediaType);
            Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
            Assert.Equal(audio, await whole.Content.ReadAsByteArrayAsync(Ct));
        }

        using (var request = new HttpRequestMessage(HttpMethod.Get, url.TrimStart('/')) { Headers = { Range = new RangeHeaderValue(100, 199) } })
        using (var part = await agent.SendAsync(request, Ct))
        {
            Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
            Assert.Equal($"bytes 100-199/{audio.Length}", part.Content.Headers.ContentRange?.ToString());
            Assert.Equal(audio[100..200], await part.Content.ReadAsByteArrayAsync(Ct));
        }

        // Another tenant's agent: the call (and so its recording) does not exist for them.
        var other = await TestTenant.CreateAsync(api.Database);
        using var otherAgent = api.CreateClient(other.AgentKey);
        using var foreign = await otherAgent.GetAsync(url.TrimStart('/'), Ct);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("application/problem+json", foreign.Content.Headers.ContentType?.MediaType);

        // Nor may another tenant's bridge upload over it.
        using var otherBridge = api.CreateClient(other.BridgeKey);
        using var overwrite = await UploadAsync(otherBridge, other.PbxId, callId, Wav(800));
        Assert.Equal(HttpStatusCode.NotFound, overwrite.StatusCode);
    }

    [Fact]
    public async Task Bad_uploads_get_problem_details_and_change_nothing()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);
        var (callId, _) = await RecordedCallAsync(bridge, agent, tenant);

        using var text = new ByteArrayContent("not audio"u8.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("text/plain") } };
        using var wrongType = await bridge.PutAsync($"api/pbx/{tenant.PbxId}/recordings/{callId}", text, Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, wrongType.StatusCode);
        using var empty = await UploadAsync(bridge, tenant.PbxId, callId, []);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        using var unknown = await UploadAsync(bridge, tenant.PbxId, Guid.NewGuid(), Wav(800));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var byAgent = await UploadAsync(agent, tenant.PbxId, callId, Wav(800));
        Assert.Equal(HttpStatusCode.Forbidden, byAgent.StatusCode);

        var call = await agent.GetFromJsonAsync<JsonElement>($"api/calls/{callId}", Ct);
        Assert.Equal("pending", call.GetProperty("recording").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_recording_the_pbx_does_not_have_is_missing_and_leaves_the_queue()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);
        var (callId, _) = await RecordedCallAsync(bridge, agent, tenant);

        using var missing = await bridge.PostAsJsonAsync($"api/pbx/{tenant.PbxId}/recordings/{callId}/missing", new { reason = "20014 recording does not exist" }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, missing.StatusCode);

        Assert.Empty((await bridge.GetFromJsonAsync<JsonElement>($"api/pbx/{tenant.PbxId}/recordings/pending", Ct)).EnumerateArray());
        var call = await agent.GetFromJsonAsync<JsonElement>($"api/calls/{callId}", Ct);
        Assert.Equal("missing", call.GetProperty("recording").GetProperty("status").GetString());
        using var play = await agent.GetAsync($"api/calls/{callId}/recording", Ct);
        Assert.Equal(HttpStatusCode.NotFound, play.StatusCode);
    }

    [Fact]
    public async Task A_tenant_admin_erases_a_recording_from_storage_with_an_audit_row_and_it_is_never_archived_again()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);
        using var admin = api.CreateClient(await AdminKeyAsync(tenant.TenantId));
        var (callId, _) = await RecordedCallAsync(bridge, agent, tenant);
        using (var upload = await UploadAsync(bridge, tenant.PbxId, callId, Wav(8000)))
        {
            Assert.Equal(HttpStatusCode.NoContent, upload.StatusCode);
        }

        var blob = ContainerClient().GetBlobClient($"{tenant.TenantId}/{callId:N}.wav");
        Assert.True(await blob.ExistsAsync(Ct));

        using var byAgent = await agent.DeleteAsync($"api/calls/{callId}/recording", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, byAgent.StatusCode);
        using var erased = await admin.DeleteAsync($"api/calls/{callId}/recording?reason=erasure%20request%2042", Ct);
        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);

        Assert.False(await blob.ExistsAsync(Ct));
        var call = await agent.GetFromJsonAsync<JsonElement>($"api/calls/{callId}", Ct);
        Assert.Equal("deleted", call.GetProperty("recording").GetProperty("status").GetString());
        await using (var connection = await api.Database.DataSource.OpenConnectionAsync(Ct))
        {
            var audit = await connection.QuerySingleAsync<(string Action, string Actor, string Reason)>(
                "select action, actor, reason from recording_audit where tenant_id = @TenantId and call_id = @callId", new { tenant.TenantId, callId });
            Assert.Equal("deleted", audit.Action);
            Assert.StartsWith("key:", audit.Actor, StringComparison.Ordinal);
            Assert.Equal("erasure request 42", audit.Reason);
        }

        // A bridge still holding the file must not bring it back.
        using var again = await UploadAsync(bridge, tenant.PbxId, callId, Wav(8000));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.False(await blob.ExistsAsync(Ct));
        using var twice = await admin.DeleteAsync($"api/calls/{callId}/recording", Ct);
        Assert.Equal(HttpStatusCode.NotFound, twice.StatusCode);
    }

    [Fact]
    public async Task Retention_removes_the_recordings_older_than_the_tenants_period_and_only_those()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        var keepForEver = await TestTenant.CreateAsync(api.Database);
        using var admin = api.CreateClient(await AdminKeyAsync(tenant.TenantId));
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);
        var (old, _) = await RecordedCallAsync(bridge, agent, tenant, startedDaysAgo: 40);
        var (recent, _) = await RecordedCallAsync(bridge, agent, tenant, startedDaysAgo: 2);
        using var otherBridge = api.CreateClient(keepForEver.BridgeKey);
        using var otherAgent = api.CreateClient(keepForEver.AgentKey);
        var (otherOld, _) = await RecordedCallAsync(otherBridge, otherAgent, keepForEver, startedDaysAgo: 400);
        foreach (var (client, pbx, id) in new[] { (bridge, tenant.PbxId, old), (bridge, tenant.PbxId, recent), (otherBridge, keepForEver.PbxId, otherOld) })
        {
            using var upload = await UploadAsync(client, pbx, id, Wav(800));
            Assert.Equal(HttpStatusCode.NoContent, upload.StatusCode);
        }

        using var bad = await admin.PutAsJsonAsync($"api/admin/tenants/{tenant.TenantId}/recording-retention", new { recordingRetentionDays = 0 }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var set = await admin.PutAsJsonAsync($"api/admin/tenants/{tenant.TenantId}/recording-retention", new { recordingRetentionDays = 30 }, Ct);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        using var foreign = await admin.PutAsJsonAsync($"api/admin/tenants/{keepForEver.TenantId}/recording-retention", new { recordingRetentionDays = 1 }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal(30, (await admin.GetFromJsonAsync<JsonElement>($"api/admin/tenants/{tenant.TenantId}/recording-retention", Ct)).GetProperty("recordingRetentionDays").GetInt32());

        var sweep = api.Services.GetServices<IHostedService>().OfType<RecordingRetentionSweep>().Single();
        await sweep.SweepAsync(Ct);

        Assert.Equal("deleted", await StatusAsync(agent, old));
        Assert.Equal("archived", await StatusAsync(agent, recent));
        Assert.Equal("archived", await StatusAsync(otherAgent, otherOld));
        Assert.False(await ContainerClient().GetBlobClient($"{tenant.TenantId}/{old:N}.wav").ExistsAsync(Ct));
        Assert.True(await ContainerClient().GetBlobClient($"{tenant.TenantId}/{recent:N}.wav").ExistsAsync(Ct));
        await using var connection = await api.Database.DataSource.OpenConnectionAsync(Ct);
        Assert.Equal(
            "expired retention",
            await connection.QuerySingleAsync<string>("select action || ' ' || actor from recording_audit where tenant_id = @TenantId and call_id = @old", new { tenant.TenantId, old }));
    }

    // A call that ended before the bridge saw it: its CDR alone, naming a recording.
    private static async Task<(Guid CallId, string File)> RecordedCallAsync(HttpClient bridge, HttpClient agent, TestTenant tenant, int startedDaysAgo = 0)
    {
        var pbxCallId = $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}.{Random.Shared.Next(100_000)}";
        var file = $"20260101120000-{pbxCallId}-1001-89991234567-Outbound.wav";
        var start = DateTime.UtcNow.AddHours(3).AddDays(-startedDaysAgo).AddMinutes(-5);
        await PbxFrames.PostAsync(bridge, tenant.PbxId, PbxFrames.Cdr(pbxCallId, "1001", "89991234567", "ANSWERED", "Outbound", start, 60, 50, recording: file));
        var call = await Eventually.GetAsync(agent, $"api/calls/{pbxCallId}", c => c.TryGetProperty("recording", out var r) && r.ValueKind == JsonValueKind.Object);
        return (call.GetProperty("id").GetGuid(), file);
    }

    private static async Task<string?> StatusAsync(HttpClient agent, Guid callId) =>
        (await agent.GetFromJsonAsync<JsonElement>($"api/calls/{callId}", Ct)).GetProperty("recording").GetProperty("status").GetString();

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, string pbxId, Guid callId, byte[] audio)
    {
        var content = new ByteArrayContent(audio) { Headers = { ContentType = new MediaTypeHeaderValue("audio/wav") } };
        return client.PutAsync($"api/pbx/{pbxId}/recordings/{callId}", content, Ct);
    }

    private async Task<string> AdminKeyAsync(string tenantId)
    {
        var key = Telephony.Core.Tenancy.ApiKeyRepository.NewKey();
        await new Telephony.Core.Tenancy.ApiKeyRepository(api.Database.DataSource).AddAsync(tenantId, ApiKeyRole.Admin, null, "admin", key, Ct);
        return key;
    }

    private static BlobContainerClient ContainerClient() => new(TestServices.Azurite, RecordingStore.DefaultContainer);

    // A real WAV header over silence: what the bridge would upload.
    private static byte[] Wav(int samples)
    {
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(36 + (samples * 2));
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(8000);
        writer.Write(16000);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(samples * 2);
        for (var i = 0; i < samples; i++)
        {
            writer.Write((short)(i % 64 * 100));
        }

        writer.Flush();
        return stream.ToArray();
    }
}
