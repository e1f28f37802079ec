namespace Telephony.Core.Yeastar;

/// <summary>
/// The order a PBX shows dates in (its date display setting), which its <c>cdr/search</c> <c>time</c> strings follow
/// (api.md A11.2). The clock (24 h, or 12 h with AM/PM) shows in the text itself, so it needs no setting.
/// </summary>
public enum PbxDateFormat
{
    /// <summary><c>MM/DD/YYYY</c>.</summary>
    MonthFirst,

    /// <summary><c>DD/MM/YYYY</c>.</summary>
    DayFirst,

    /// <summary><c>YYYY/MM/DD</c>.</summary>
    YearFirst,
}
