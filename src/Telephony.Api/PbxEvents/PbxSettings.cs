using Telephony.Core.Tenancy;
using Telephony.Core.Yeastar;

namespace Telephony.Api.PbxEvents;

/// <summary>A PBX's settings that its frames are read with (a cacheable slice of <see cref="PbxRecord"/>).</summary>
internal sealed record PbxSettings(string TimeZone, string DefaultRegion, string? DateFormatText)
{
    public PbxDateFormat? DateFormat => PbxDateFormats.TryParse(DateFormatText ?? "", out var format) ? format : null;

    public static PbxSettings From(PbxRecord pbx) => new(pbx.TimeZone, pbx.DefaultRegion, pbx.DateFormat);
}
