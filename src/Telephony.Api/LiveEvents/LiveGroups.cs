namespace Telephony.Api.LiveEvents;

/// <summary>The one place SignalR group names are made, so a tenant prefix is never forgotten.</summary>
internal static class LiveGroups
{
    public static string Tenant(string tenantId) => $"tenant:{tenantId}";

    public static string Extension(string tenantId, string extension) => $"tenant:{tenantId}:ext:{extension}";
}
