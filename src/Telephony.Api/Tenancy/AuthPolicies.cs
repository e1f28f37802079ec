namespace Telephony.Api.Tenancy;

internal static class AuthPolicies
{
    /// <summary>Reads, dial, hangup, links, notes: agent or admin keys.</summary>
    public const string Agent = "agent";

    /// <summary>Events and commands of the key's own PBX, or (fleet keys) of a PBX whose lease the caller holds.</summary>
    public const string Bridge = "bridge";

    /// <summary>The fleet API: PBX connections across tenants and their leases. Fleet keys only.</summary>
    public const string Fleet = "fleet";

    /// <summary>Tenant and key management: a tenant's admin key, or the bootstrap key.</summary>
    public const string Admin = "admin";

    /// <summary>A tenant's own data that only its admin may change (e.g. erasing a recording): a tenant admin key.</summary>
    public const string TenantAdmin = "tenant-admin";
}
