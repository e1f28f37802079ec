namespace Telephony.PbxBridge.ApiLink;

/// <summary>
/// A call-control command queued by the API (<c>GET /api/pbx/{pbxId}/commands</c>): <c>dial</c> uses Caller, Callee
/// and AutoAnswer; <c>hangup</c> uses PbxCallId and Extension (the leg to end, may be null).
/// </summary>
internal sealed record PbxCommand(
    Guid Id,
    string Kind,
    string? Caller,
    string? Callee,
    bool AutoAnswer,
    string? PbxCallId,
    string? Extension,
    DateTimeOffset CreatedAt);
