using System.Text.Json.Nodes;

namespace Telephony.PbxSimulator.Engine;

// One leg of a call, serialised as a single-key wrapper object (A8.1).
internal sealed class CallMember
{
    public required MemberKind Kind { get; init; }

    // Extension number; for trunk legs the extension side, if any.
    public string Number { get; init; } = string.Empty;

    public string From { get; init; } = string.Empty;

    public string To { get; init; } = string.Empty;

    public string TrunkName { get; init; } = string.Empty;

    public required string ChannelId { get; init; }

    public required string Status { get; set; }

    // Ring group/queue number when the call passed through one, otherwise "" as in live frames.
    public string CallPath { get; init; } = string.Empty;

    public JsonObject ToJson()
    {
        if (Kind == MemberKind.Extension)
        {
            return new JsonObject
            {
                ["extension"] = new JsonObject
                {
                    ["number"] = Number,
                    ["channel_id"] = ChannelId,
                    ["member_status"] = Status,
                    ["call_path"] = CallPath,
                },
            };
        }

        return new JsonObject
        {
            [Kind == MemberKind.Inbound ? "inbound" : "outbound"] = new JsonObject
            {
                ["from"] = From,
                ["to"] = To,
                ["trunk_name"] = TrunkName,
                ["channel_id"] = ChannelId,
                ["member_status"] = Status,
                ["call_path"] = CallPath,
            },
        };
    }
}
