using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Telephony.Api.Tenancy;

namespace Telephony.Api.LiveEvents;

/// <summary>
/// Live call events. A connection joins its own tenant's group, and an extension's group when it names
/// one (query string <c>extension</c>), so pop-ups reach the operator whose phone rings.
/// </summary>
[Authorize(Policy = AuthPolicies.Agent)]
internal sealed class CallsHub : Hub
{
    public override async Task OnConnectedAsync()
    {
        var tenantId = Context.User!.TenantId();
        await Groups.AddToGroupAsync(Context.ConnectionId, LiveGroups.Tenant(tenantId));
        if (Context.GetHttpContext()?.Request.Query["extension"].ToString() is { Length: > 0 } extension)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, LiveGroups.Extension(tenantId, extension));
        }

        await base.OnConnectedAsync();
    }

    /// <summary>Follow one more extension of the caller's own tenant (the tenant comes from the key, never from the client).</summary>
    public Task JoinExtension(string extension) =>
        Groups.AddToGroupAsync(Context.ConnectionId, LiveGroups.Extension(Context.User!.TenantId(), extension));

    public Task LeaveExtension(string extension) =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, LiveGroups.Extension(Context.User!.TenantId(), extension));
}
