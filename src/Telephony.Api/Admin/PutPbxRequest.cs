using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Telephony.Api.Admin;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class PutPbxRequest
{
    [Required, StringLength(200, MinimumLength = 1)]
    public string? Name { get; init; }

    /// <summary><c>p-series</c> (Open API v1.0 over WebSocket) or <c>s-series</c> (API v2.0.0 over HTTP).</summary>
    [Required, RegularExpression("^(p-series|s-series)$", ErrorMessage = "kind must be p-series or s-series.")]
    public string? Kind { get; init; }

    /// <summary>IANA zone of the PBX clock: CDR times are PBX-local.</summary>
    [Required]
    public string? TimeZone { get; init; }

    /// <summary>ISO 3166 region used to read national numbers (RU reads 8 999 … as +7 999 …).</summary>
    [Required, RegularExpression("^[A-Z]{2}$", ErrorMessage = "defaultRegion must be a two-letter ISO 3166 code such as RU.")]
    public string? DefaultRegion { get; init; }

    /// <summary>
    /// The PBX's date display setting, <c>MM/DD/YYYY</c>, <c>DD/MM/YYYY</c> or <c>YYYY/MM/DD</c>: CDR rows without a Unix
    /// timestamp write their time in it. Leave it out and only times that read one way (18/10/2025) are taken.
    /// </summary>
    public string? DateFormat { get; init; }
}
