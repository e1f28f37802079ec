using System.Globalization;

namespace Telephony.PbxSimulator.PSeries;

// How the PBX writes times in cdr/search rows and reads start_time/end_time: its date and time display settings
// (A11.2: "must follow the PBX date/time display format", e.g. MM/DD/YYYY HH:mm:ss or YYYY/MM/DD hh:mm:ss AM|PM).
internal sealed class CdrDisplayFormat
{
    private readonly string _pattern;

    public CdrDisplayFormat(PbxSimulatorOptions options)
    {
        var date = options.DateFormat.ToUpperInvariant() switch
        {
            "MM/DD/YYYY" => "MM/dd/yyyy",
            "DD/MM/YYYY" => "dd/MM/yyyy",
            "YYYY/MM/DD" => "yyyy/MM/dd",
            _ => throw new ArgumentException($"DateFormat must be MM/DD/YYYY, DD/MM/YYYY or YYYY/MM/DD, not {options.DateFormat}.", nameof(options)),
        };
        _pattern = date + (options.TwelveHourClock ? " hh:mm:ss tt" : " HH:mm:ss");
        WithTimestamp = options.CdrRowsHaveTimestamp;
    }

    // Older firmware leaves the Unix timestamp out of the rows (A11.1 lists it; not every capture has it).
    public bool WithTimestamp { get; }

    public string Format(DateTime local) => local.ToString(_pattern, CultureInfo.InvariantCulture);

    // The display format, or "yyyy-MM-dd HH:mm:ss" (the 30012 time_start format), which the PBX also takes.
    public bool TryParse(string text, out DateTime local) =>
        DateTime.TryParseExact(text, [_pattern, "yyyy-MM-dd HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out local);
}
