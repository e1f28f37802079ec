using System.Globalization;
using System.Text.Json;

namespace Telephony.Core.Yeastar;

/// <summary>
/// Reads fields of one JSON object under their P-Series (snake_case) or S-Series (concatenated) names and keeps the
/// first problem, so a parser can read every field and check once.
/// </summary>
internal sealed class PbxFieldReader(JsonElement obj, string context)
{
    // Longest call we believe: a week. Anything larger is a corrupt frame, not a call (e.g. 10^12 seconds).
    public const int MaxSeconds = 7 * 24 * 3600;

    public string? Error { get; private set; }

    public string? OptionalString(params ReadOnlySpan<string> names)
    {
        if (!TryFind(names, out var value, out var name))
        {
            return null;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Number:
                // S-Series examples send strings where the tables say Integer (api.md B3); accept the other way round too.
                return value.GetRawText();
            default:
                Fail($"{context}.{name} must be a string, not {value.ValueKind}");
                return null;
        }
    }

    /// <summary>A string whose blank value means "none": Yeastar sends "" live and " " in docs (api.md A8.1, A8.2).</summary>
    public string? OptionalText(params ReadOnlySpan<string> names)
    {
        var text = OptionalString(names);
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    public string RequiredString(params ReadOnlySpan<string> names)
    {
        var text = OptionalString(names);
        if (text is null)
        {
            Fail($"missing {context}.{names[0]}");
            return "";
        }

        return text;
    }

    public string RequiredText(params ReadOnlySpan<string> names)
    {
        var text = RequiredString(names);
        if (Error is null && string.IsNullOrWhiteSpace(text))
        {
            Fail($"{context}.{names[0]} is blank");
        }

        return text.Trim();
    }

    public int RequiredSeconds(params ReadOnlySpan<string> names)
    {
        if (!TryFind(names, out var value, out var name))
        {
            Fail($"missing {context}.{names[0]}");
            return 0;
        }

        long seconds;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            seconds = number;
        }
        else if (value.ValueKind == JsonValueKind.String
            && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
        {
            // S-Series NewCdr sends durations as strings ("19"), api.md B3.
            seconds = parsed;
        }
        else
        {
            Fail($"{context}.{name} must be a whole number of seconds");
            return 0;
        }

        if (seconds is < 0 or > MaxSeconds)
        {
            Fail($"{context}.{name} out of range: {seconds}");
            return 0;
        }

        return (int)seconds;
    }

    /// <summary>A Unix time in seconds (number or digit string); null when absent, blank or zero, an error when out of range.</summary>
    public long? OptionalUnixSeconds(params ReadOnlySpan<string> names)
    {
        if (!TryFind(names, out var value, out var name))
        {
            return null;
        }

        long seconds;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            seconds = number;
        }
        else if (value.ValueKind == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetString()))
        {
            return null;
        }
        else if (value.ValueKind == JsonValueKind.String
            && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            seconds = parsed;
        }
        else
        {
            Fail($"{context}.{name} must be a Unix time in seconds");
            return null;
        }

        // 0 is what a row without the value shows; before 2000 or after 2200 is not a call of ours.
        if (seconds == 0)
        {
            return null;
        }

        if (seconds is < 946_684_800 or > 7_258_118_400)
        {
            Fail($"{context}.{name} out of range: {seconds}");
            return null;
        }

        return seconds;
    }

    public void Fail(string error) => Error ??= error;

    private bool TryFind(ReadOnlySpan<string> names, out JsonElement value, out string name)
    {
        foreach (var candidate in names)
        {
            if (obj.TryGetProperty(candidate, out value) && value.ValueKind != JsonValueKind.Null)
            {
                name = candidate;
                return true;
            }
        }

        value = default;
        name = names[0];
        return false;
    }
}
