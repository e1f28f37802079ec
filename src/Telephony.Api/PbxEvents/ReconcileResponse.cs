namespace Telephony.Api.PbxEvents;

/// <summary>The calls closed because the PBX no longer had them.</summary>
internal sealed record ReconcileResponse(IReadOnlyList<string> Closed);
