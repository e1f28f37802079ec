using System.Text.Json;

namespace Telephony.PbxBridge.Tests.Bridge;

internal sealed record ReceivedFrame(
    string PbxId, string BridgeId, long Seq, DateTimeOffset ReceivedAt, string Source, JsonValueKind Kind, string RawFrame);
