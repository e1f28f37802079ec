using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Telephony.PbxBridge.Fleet;

/// <summary>The fleet endpoints of Telephony.Api (the listing and the leases); the fleet key is the HttpClient's bearer.</summary>
internal sealed partial class FleetApiClient(HttpClient http)
{
    public const string HttpClientName = "TelephonyFleet";

    /// <summary>Every PBX with a connection, across tenants, with its clear secret and lease.</summary>
    public async Task<IReadOnlyList<FleetPbx>> ListPbxesAsync(CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync(new Uri("api/fleet/pbxes", UriKind.Relative), FleetJson.Default.FleetPbxArray, cancellationToken) ?? [];

    /// <summary>
    /// Announces this bridge as alive; returns every bridge alive now (itself included), or null from an API that
    /// predates announcements (404), which leaves the fair share to lease holders alone.
    /// </summary>
    public async Task<IReadOnlyList<string>?> AnnounceAsync(string bridgeId, CancellationToken cancellationToken)
    {
        using var response = await http.PutAsync(new Uri($"api/fleet/bridges/{Uri.EscapeDataString(bridgeId)}", UriKind.Relative), content: null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var alive = await response.Content.ReadFromJsonAsync(FleetJson.Default.FleetBridges, cancellationToken)
            ?? throw new JsonException("The announcement answer was empty.");
        return alive.Bridges;
    }

    /// <summary>Acquires the lease (no <paramref name="epoch"/>) or renews the one held at <paramref name="epoch"/>.</summary>
    public async Task<LeaseAnswer> AcquireAsync(FleetPbxKey pbx, string bridgeId, long? epoch, TimeSpan ttl, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(
            LeaseUri(pbx, query: null),
            new LeaseRequest(bridgeId, epoch, (int)ttl.TotalSeconds),
            FleetJson.Default.LeaseRequest,
            cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.Conflict:
                return new LeaseAnswer(LeaseOutcome.HeldByOther, null);
            case HttpStatusCode.NotFound:
                return new LeaseAnswer(LeaseOutcome.NotServed, null);
            default:
                response.EnsureSuccessStatusCode();
                var lease = await response.Content.ReadFromJsonAsync(FleetJson.Default.FleetLeaseState, cancellationToken)
                    ?? throw new JsonException("The lease answer was empty.");
                return new LeaseAnswer(LeaseOutcome.Granted, lease);
        }
    }

    /// <summary>Gives the lease up; false when it was no longer ours (409).</summary>
    public async Task<bool> ReleaseAsync(FleetPbxKey pbx, string bridgeId, long epoch, CancellationToken cancellationToken)
    {
        var query = string.Create(CultureInfo.InvariantCulture, $"bridgeId={Uri.EscapeDataString(bridgeId)}&epoch={epoch}");
        using var response = await http.DeleteAsync(LeaseUri(pbx, query), cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }

    private static Uri LeaseUri(FleetPbxKey pbx, string? query) => new(
        $"api/fleet/tenants/{Uri.EscapeDataString(pbx.TenantId)}/pbxes/{Uri.EscapeDataString(pbx.PbxId)}/lease{(query is null ? "" : "?" + query)}",
        UriKind.Relative);

    private sealed record LeaseRequest(string BridgeId, long? Epoch, int TtlSeconds);

    private sealed record FleetBridges(string[] Bridges);

    // Source-generated, web defaults (camelCase); the API refuses unknown fields, and an absent epoch means "acquire".
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(FleetPbx[]))]
    [JsonSerializable(typeof(FleetLeaseState))]
    [JsonSerializable(typeof(LeaseRequest))]
    [JsonSerializable(typeof(FleetBridges))]
    private sealed partial class FleetJson : JsonSerializerContext
    {
    }
}
