using System.Globalization;

namespace Telephony.PbxBridge.SSeries;

/// <summary>
/// Where the PBX must POST events (api.md B2/B3): sent at login and heartbeat as <c>urltag</c> "1" with
/// <c>url</c> = "host:port/path" (the form of s-heartbeat-request.json), plus <c>port</c> and <c>ipaddr</c>. The path
/// ends in the push secret, so this is not a record: its printed form shows the listener, never the secret.
/// </summary>
internal sealed class SSeriesEventTarget(Uri listenerUrl, SSeriesPushSecret secret)
{
    /// <summary>BRIDGE_PUBLIC_URL (or the bound address) + <see cref="SSeriesEventListener.Path"/>, without the secret.</summary>
    public Uri ListenerUrl { get; } = listenerUrl;

    public string Host => ListenerUrl.Host;

    public string Port => ListenerUrl.Port.ToString(CultureInfo.InvariantCulture);

    public string UrlWithoutScheme => $"{ListenerUrl.Authority}{ListenerUrl.AbsolutePath}/{secret.Value}";

    public override string ToString() => $"{ListenerUrl}/<push secret>";
}
