using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Telephony.Api.Telemetry;

namespace Telephony.Api.LiveEvents;

internal sealed class HubLiveEventPublisher(IHubContext<CallsHub> hub) : ILiveEventPublisher
{
    public async Task PublishAsync(string tenantId, IReadOnlyCollection<string> extensions, string eventName, object payload, CancellationToken cancellationToken = default)
    {
        // The last span of a frame's trace (bridge → journal → grain → here); null, and free, when nothing listens.
        using var activity = ApiTelemetry.Source.StartActivity($"push {eventName}", ActivityKind.Producer);
        activity?.SetTag("telephony.tenant", tenantId);
        activity?.SetTag("telephony.event", eventName);

        // A tenant-wide board gets everything; an operator's pop-up connection gets its phone's calls only.
        var groups = new List<string>(extensions.Count + 1) { LiveGroups.Tenant(tenantId) };
        groups.AddRange(extensions.Select(e => LiveGroups.Extension(tenantId, e)));
        await hub.Clients.Groups(groups).SendAsync(eventName, payload, cancellationToken);
    }
}
