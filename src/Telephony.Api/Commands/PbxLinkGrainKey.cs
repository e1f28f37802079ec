namespace Telephony.Api.Commands;

internal static class PbxLinkGrainKey
{
    public static string For(string tenantId, string pbxId) => $"{tenantId}/{pbxId}";
}
