namespace Telephony.Core.Calls;

/// <summary>A transfer or forward of a call from one extension to another extension or number.</summary>
/// <param name="FromExtension">The extension that handled the call before, when known.</param>
/// <param name="To">The extension or external number the call went to.</param>
/// <param name="At">When the PBX reported it (UTC).</param>
/// <param name="Kind"><c>transfer</c> or <c>forward</c>.</param>
[GenerateSerializer, Immutable, Alias("Telephony.Calls.CallTransfer")]
public sealed record CallTransfer(
    [property: Id(0)] string? FromExtension,
    [property: Id(1)] string To,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string Kind);
