using System.Text.Json;

namespace Telephony.Api.Tests;

public sealed record LiveEvent(string Name, JsonElement Payload)
{
    public string? PbxCallId => Payload.ValueKind == JsonValueKind.Object && Payload.TryGetProperty("pbxCallId", out var id) ? id.GetString() : null;

    public string? Text(string property) =>
        Payload.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public int? Number(string property) =>
        Payload.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : null;
}
