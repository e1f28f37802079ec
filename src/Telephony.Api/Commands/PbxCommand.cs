namespace Telephony.Api.Commands;

/// <summary>
/// A call-control command for the bridge to run against its PBX. <see cref="Kind"/> is <c>dial</c>
/// (Caller, Callee, AutoAnswer) or <c>hangup</c> (PbxCallId, Extension: whose leg to end).
/// </summary>
[GenerateSerializer, Alias("Telephony.PbxCommand")]
internal sealed record PbxCommand(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] string? Caller,
    [property: Id(3)] string? Callee,
    [property: Id(4)] bool AutoAnswer,
    [property: Id(5)] string? PbxCallId,
    [property: Id(6)] string? Extension,
    [property: Id(7)] DateTimeOffset CreatedAt);
