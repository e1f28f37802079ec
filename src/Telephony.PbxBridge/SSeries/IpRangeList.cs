using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Telephony.PbxBridge.SSeries;

/// <summary>
/// A set of IP addresses and CIDR ranges (YEASTAR_PUSH_ALLOWED_IPS, or what YEASTAR_HOST resolves to). IPv4-mapped
/// IPv6 addresses (<c>::ffff:10.0.0.5</c>, how a dual-stack socket reports an IPv4 peer) count as their IPv4 address.
/// </summary>
internal sealed class IpRangeList
{
    public static readonly IpRangeList Empty = new([]);

    private readonly IPNetwork[] _ranges;

    private IpRangeList(IPNetwork[] ranges) => _ranges = ranges;

    public int Count => _ranges.Length;

    public static IpRangeList Of(IEnumerable<IPAddress> addresses) =>
        new([.. addresses.Select(Normalize).Distinct().Select(a => new IPNetwork(a, FullPrefix(a)))]);

    /// <summary>
    /// Parses "10.0.0.5, 192.168.1.0/24, fd00::/8"; false with the first entry that is neither an address nor a
    /// range. Strict on purpose: IPAddress.Parse reads "10.1" as 10.0.0.1, and "192.168.1.10/24" would admit the
    /// whole LAN where one host was probably meant.
    /// </summary>
    public static bool TryParse(string? text, out IpRangeList list, out string? invalidEntry)
    {
        var ranges = new List<IPNetwork>();
        foreach (var entry in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryParseEntry(entry, out var range))
            {
                list = Empty;
                invalidEntry = entry;
                return false;
            }

            ranges.Add(range);
        }

        list = new IpRangeList([.. ranges]);
        invalidEntry = null;
        return true;
    }

    public static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public bool Contains(IPAddress address)
    {
        var normalized = Normalize(address);
        foreach (var range in _ranges)
        {
            if (range.Contains(normalized))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryParseEntry(string entry, out IPNetwork range)
    {
        range = default;
        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        if (!TryParseAddress(slash < 0 ? entry : entry[..slash], out var address))
        {
            return false;
        }

        var prefix = FullPrefix(address);
        if (slash >= 0 && (!int.TryParse(entry.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > FullPrefix(address)))
        {
            return false;
        }

        // The constructor silently clears host bits; a range must be written with them clear.
        range = new IPNetwork(address, prefix);
        return range.BaseAddress.Equals(address);
    }

    // IPv4 only in its dotted-quad form (the text must read back unchanged); no IPv6 zone index (%eth0).
    private static bool TryParseAddress(string text, out IPAddress address)
    {
        if (!IPAddress.TryParse(text, out var parsed) || text.Contains('%', StringComparison.Ordinal)
            || (parsed.AddressFamily == AddressFamily.InterNetwork && parsed.ToString() != text))
        {
            address = IPAddress.None;
            return false;
        }

        address = Normalize(parsed);
        return true;
    }

    private static int FullPrefix(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
}
