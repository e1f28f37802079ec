namespace Telephony.Core.Yeastar;

/// <summary>The outcome of parsing one PBX frame: exactly one of <see cref="Event"/> and <see cref="Error"/> is set.</summary>
/// <param name="Event">The normalized event when the frame is valid.</param>
/// <param name="Error">Why the frame was refused.</param>
/// <param name="EventType">The frame's event type when it could be read ("30011", "CallStatus", …).</param>
[GenerateSerializer, Alias("Telephony.Yeastar.PbxFrameParseResult")]
public sealed record PbxFrameParseResult(
    [property: Id(0)] PbxEvent? Event,
    [property: Id(1)] string? Error,
    [property: Id(2)] string? EventType)
{
    internal static PbxFrameParseResult Ok(PbxEvent pbxEvent, string? eventType) => new(pbxEvent, null, eventType);

    internal static PbxFrameParseResult Fail(string error, string? eventType) => new(null, error, eventType);
}
