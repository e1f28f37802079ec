namespace Telephony.Api.Calls;

/// <summary>The one way to name a call grain: tenant, PBX and the PBX's call id.</summary>
internal static class CallGrainKey
{
    public static string For(string tenantId, string pbxId, string pbxCallId) => $"{tenantId}/{pbxId}/{pbxCallId}";

    public static (string TenantId, string PbxId, string PbxCallId) Parse(string key)
    {
        // Tenant and PBX ids never contain '/'; a PBX call id is "<unix>.<seq>", so splitting on the first two is exact.
        var parts = key.Split('/', 3);
        return (parts[0], parts[1], parts[2]);
    }
}
