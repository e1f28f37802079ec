using System.Globalization;
using System.Net;

namespace Telephony.PbxBridge.Fleet;

/// <summary>
/// On a fleet unit's clients of the API: names the unit's lease on every request (the headers a fleet key must send,
/// README "Fleet mode"), and notices when it is gone. A 409 from a bridge endpoint means only that the lease is not ours
/// any more (the events post checks it inside the journal append), so the unit is told at once, and from then on
/// nothing more leaves for this PBX: a paused bridge must not keep posting beside the new holder.
/// </summary>
internal sealed class FleetLeaseHandler(FleetUnitLease lease) : DelegatingHandler
{
    public const string TenantHeader = "X-Telephony-Tenant";
    public const string BridgeHeader = "X-Telephony-Bridge-Id";
    public const string EpochHeader = "X-Telephony-Lease-Epoch";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (lease.IsLost)
        {
            // Not sent: answered here as the API would, so every caller takes its usual "not ours" path.
            return new HttpResponseMessage(HttpStatusCode.Conflict) { RequestMessage = request, ReasonPhrase = "Lease lost (not sent)" };
        }

        // Set, not added: a retried request passes through here again.
        Set(request, TenantHeader, lease.Pbx.TenantId);
        Set(request, BridgeHeader, lease.BridgeId);
        Set(request, EpochHeader, lease.Epoch.ToString(CultureInfo.InvariantCulture));
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            lease.MarkLost();
        }

        return response;
    }

    private static void Set(HttpRequestMessage request, string name, string value)
    {
        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
    }
}
