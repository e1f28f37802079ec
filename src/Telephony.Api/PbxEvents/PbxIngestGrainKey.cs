namespace Telephony.Api.PbxEvents;

/// <summary>The one way to name a PBX's ingest grain: tenant and PBX (neither contains '/').</summary>
internal static class PbxIngestGrainKey
{
    public static string For(string tenantId, string pbxId) => $"{tenantId}/{pbxId}";

    public static (string TenantId, string PbxId) Parse(string key)
    {
        var parts = key.Split('/', 2);
        return (parts[0], parts[1]);
    }
}
