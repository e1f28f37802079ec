using System.Globalization;

namespace Telephony.Core.Yeastar;

/// <summary>
/// Reads a time the way a PBX displays it (<c>04/10/2025 03:10:26 PM</c>, <c>2025-10-04 15:10:26</c>): CDR times follow
/// the PBX's date display setting (api.md A11.2). Day and month are read in the configured order and never guessed.
/// </summary>
internal static class PbxDisplayTime
{
    // Every separator a PBX edition uses, with a 24-hour or a 12-hour (AM/PM) clock, seconds optional.
    private static readonly string[] Separators = ["/", "-", "."];
    private static readonly string[] Clocks = ["H:mm:ss", "h:mm:ss tt", "H:mm", "h:mm tt"];

    private static readonly string[] YearFirst = Patterns("yyyy{0}M{0}d");
    private static readonly string[] MonthFirst = Patterns("M{0}d{0}yyyy");
    private static readonly string[] DayFirst = Patterns("d{0}M{0}yyyy");

    /// <summary>Reads <paramref name="text"/> as a PBX wall-clock time; on failure <paramref name="problem"/> says why, to follow the field name.</summary>
    public static bool TryRead(string text, PbxDateFormat? format, out DateTime local, out string problem)
    {
        problem = "";
        text = text.Trim();

        // Year first needs no setting: no PBX writes year, day, month.
        if (TryExact(text, YearFirst, out local))
        {
            return true;
        }

        switch (format)
        {
            case PbxDateFormat.MonthFirst when TryExact(text, MonthFirst, out local):
            case PbxDateFormat.DayFirst when TryExact(text, DayFirst, out local):
                return true;
            case null:
                // Without the setting only a date that reads one way is taken (18/10/2025); 04/10/2025 could be April or October.
                var asMonthFirst = TryExact(text, MonthFirst, out var monthFirst);
                var asDayFirst = TryExact(text, DayFirst, out var dayFirst);
                if (asMonthFirst && asDayFirst && monthFirst != dayFirst)
                {
                    problem = $"is ambiguous (day and month could be either way round); set the PBX's dateFormat ({PbxDateFormats.MonthFirst} or {PbxDateFormats.DayFirst})";
                    return false;
                }

                if (asMonthFirst || asDayFirst)
                {
                    local = asMonthFirst ? monthFirst : dayFirst;
                    return true;
                }

                break;
        }

        problem = format is { } configured ? $"is not a PBX time in {PbxDateFormats.ToText(configured)}" : "is not a PBX time";
        return false;
    }

    private static bool TryExact(string text, string[] patterns, out DateTime local) =>
        DateTime.TryParseExact(text, patterns, CultureInfo.InvariantCulture, DateTimeStyles.AllowInnerWhite, out local);

    private static string[] Patterns(string date) =>
        [.. from separator in Separators
            from clock in Clocks
            select string.Format(CultureInfo.InvariantCulture, date, separator) + " " + clock];
}
