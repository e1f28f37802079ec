using Microsoft.AspNetCore.SignalR;

namespace Telephony.Api.LiveEvents;

internal sealed class HubLiveEventPublisher(IHubContext<CallsHub> hub) : ILiveEventPublisher
{
    public Task PublishAsync(string tenantId, IReadOnlyCollection<string> extensions, string eventName, object payload, CancellationToken cancellationToken = default)
    {
        // A tenant-wide board gets everything; an operator's pop-up connection gets its phone's calls only.
        var groups = new List<string>(extensions.Count + 1) { LiveGroups.Tenant(tenantId) };
        groups.AddRange(extensions.Select(e => LiveGroups.Extension(tenantId, e)));
        return hub.Clients.Groups(groups).SendAsync(eventName, payload, cancellationToken);
    }
}
