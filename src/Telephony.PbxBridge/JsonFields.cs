using System.Text.Json;

namespace Telephony.PbxBridge;

/// <summary>Reading single fields of PBX frames the bridge looks into (the API parses them fully).</summary>
internal static class JsonFields
{
    /// <summary>A non-empty string property of a JSON object (false for any other shape).</summary>
    public static bool TryReadString(JsonElement element, string property, out string value)
    {
        value = "";
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var found) && found.ValueKind == JsonValueKind.String)
        {
            value = found.GetString() ?? "";
            return value.Length > 0;
        }

        return false;
    }
}
