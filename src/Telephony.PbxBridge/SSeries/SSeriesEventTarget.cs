using System.Globalization;

namespace Telephony.PbxBridge.SSeries;

/// <summary>
/// Where the PBX must POST events (api.md B2/B3): sent at login and heartbeat as <c>urltag</c> "1" with
/// <c>url</c> = "host:port/path" (the form of s-heartbeat-request.json), plus <c>port</c> and <c>ipaddr</c>.
/// </summary>
internal sealed record SSeriesEventTarget(Uri Url)
{
    public string Host => Url.Host;

    public string Port => Url.Port.ToString(CultureInfo.InvariantCulture);

    public string UrlWithoutScheme => $"{Url.Authority}{Url.AbsolutePath}";
}
