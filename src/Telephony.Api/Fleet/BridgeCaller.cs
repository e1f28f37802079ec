using Telephony.Core.Fleet;

namespace Telephony.Api.Fleet;

/// <summary>Whom a bridge request is for: the tenant (from a bridge key, or a fleet key's header) and, for a fleet key, the lease it claims.</summary>
internal sealed record BridgeCaller(string TenantId, LeaseClaim? Lease);
