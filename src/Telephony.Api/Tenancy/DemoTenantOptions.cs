using System.ComponentModel.DataAnnotations;

namespace Telephony.Api.Tenancy;

/// <summary>
/// The demo tenant that <c>scripts/up</c> runs with (until the admin API manages tenants):
/// created at start when both keys are set.
/// </summary>
internal sealed class DemoTenantOptions
{
    public const string TenantId = "demo";
    public const string PbxId = "main";

    public string? AgentKey { get; set; }
    public string? BridgeKey { get; set; }
    public string TimeZone { get; set; } = "Europe/Moscow";
    public string DefaultRegion { get; set; } = "RU";

    /// <summary>The PBX's date display setting (<c>DD/MM/YYYY</c>…), for CDR times without a timestamp; null when not set.</summary>
    [RegularExpression("^(MM/DD/YYYY|DD/MM/YYYY|YYYY/MM/DD)$", ErrorMessage = "YEASTAR_DATE_FORMAT must be MM/DD/YYYY, DD/MM/YYYY or YYYY/MM/DD.")]
    public string? DateFormat { get; set; }
}
