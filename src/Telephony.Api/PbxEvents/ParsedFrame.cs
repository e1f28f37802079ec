using Telephony.Core.Yeastar;

namespace Telephony.Api.PbxEvents;

internal sealed record ParsedFrame(string DedupeKey, PbxEvent Event, string? EventType, DateTimeOffset ReceivedAt);
