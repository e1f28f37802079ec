using System.Globalization;

namespace Telephony.Benchmarks;

/// <summary>One restaurant's PBX: four phones, the ring group that rings them, the number customers dial.</summary>
internal sealed record HistoryLocation(string PbxId, IReadOnlyList<string> Extensions, string RingGroup, string Did, string Trunk)
{
    // Each location of the chain numbers its phones in its own range (location 7: 1071-1074, group 6070), so an
    // extension filter names one phone of the chain, as the chain's own dial plan would.
    public static HistoryLocation OfChain(int location)
    {
        var l = location.ToString("D2", CultureInfo.InvariantCulture);
        return new HistoryLocation($"loc-{l}", [$"1{l}1", $"1{l}2", $"1{l}3", $"1{l}4"], $"6{l}0", $"7495{5_000_000 + location}", $"trunk-{l}");
    }

    public static HistoryLocation Single(int tenant) =>
        new("main", ["1001", "1002", "1003", "1004"], "6300", string.Create(CultureInfo.InvariantCulture, $"7812{1_000_000 + tenant}"), "trunk-1");
}
