namespace Telephony.PbxBridge.Tests.Bridge;

/// <summary>A recording file as the bridge uploaded it to the (fake) API.</summary>
internal sealed record UploadedRecording(string ContentType, byte[] Audio);
