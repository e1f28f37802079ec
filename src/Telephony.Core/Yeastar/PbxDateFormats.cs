using System.Diagnostics.CodeAnalysis;

namespace Telephony.Core.Yeastar;

/// <summary>The words a person writes for a <see cref="PbxDateFormat"/> (as the PBX's web page shows them) and back.</summary>
public static class PbxDateFormats
{
    public const string MonthFirst = "MM/DD/YYYY";
    public const string DayFirst = "DD/MM/YYYY";
    public const string YearFirst = "YYYY/MM/DD";

    /// <summary>The accepted spellings, for error messages.</summary>
    public const string Allowed = $"{MonthFirst}, {DayFirst} or {YearFirst}";

    public static bool TryParse(string? text, [NotNullWhen(true)] out PbxDateFormat? format)
    {
        // Separators vary between PBX editions ("DD-MM-YYYY"); only the order matters here.
        format = text?.Trim().Replace('-', '/').Replace('.', '/').ToUpperInvariant() switch
        {
            MonthFirst => PbxDateFormat.MonthFirst,
            DayFirst => PbxDateFormat.DayFirst,
            YearFirst => PbxDateFormat.YearFirst,
            _ => null,
        };
        return format is not null;
    }

    public static string ToText(PbxDateFormat format) => format switch
    {
        PbxDateFormat.MonthFirst => MonthFirst,
        PbxDateFormat.DayFirst => DayFirst,
        _ => YearFirst,
    };
}
