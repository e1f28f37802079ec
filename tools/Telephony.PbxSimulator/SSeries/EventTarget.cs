namespace Telephony.PbxSimulator.SSeries;

// Where HTTP events are pushed (B2 login/heartbeat port, url, urltag; B3). The url is used as given, so a client's
// secret path (the bridge's /yeastar/events/{secret}) is where its events go.
internal sealed record EventTarget(Uri Url)
{
    // urltag "1": url is "ip:port/path"; urltag "0" (default): the PBX posts to {app ip}:{port}/{url}, port default 8260.
    public static EventTarget? From(string appIp, string? port, string? url, string? urlTag)
    {
        var text = urlTag == "1"
            ? $"http://{url}"
            : $"http://{(appIp.Contains(':', StringComparison.Ordinal) ? $"[{appIp}]" : appIp)}:{(string.IsNullOrEmpty(port) ? "8260" : port)}/{(url ?? string.Empty).TrimStart('/')}";
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? new EventTarget(uri) : null;
    }
}
