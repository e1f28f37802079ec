namespace Telephony.Core.Tenancy;

public enum ApiKeyRole
{
    Admin,
    Agent,
    Bridge,

    /// <summary>A fleet bridge: platform-level, no tenant; serves the PBXs whose leases it holds.</summary>
    Fleet,
}
