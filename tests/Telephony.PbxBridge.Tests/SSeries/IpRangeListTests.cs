using System.Net;
using Telephony.PbxBridge.SSeries;

namespace Telephony.PbxBridge.Tests.SSeries;

public sealed class IpRangeListTests
{
    [Theory]
    [InlineData("10.0.0.5", "10.0.0.5", true)]
    [InlineData("10.0.0.5", "10.0.0.6", false)]
    [InlineData("192.168.1.0/24", "192.168.1.77", true)]
    [InlineData("192.168.1.0/24", "192.168.2.1", false)]
    [InlineData("127.0.0.0/31", "127.0.0.1", true)]
    [InlineData("127.0.0.0/31", "127.0.0.2", false)]
    [InlineData("fd00::/8", "fd12:3456::1", true)]
    [InlineData("fd00::/8", "fe80::1", false)]
    [InlineData("10.0.0.5", "::ffff:10.0.0.5", true)]
    [InlineData("::ffff:10.0.0.5", "10.0.0.5", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.200.0.1", true)]
    [InlineData(" 192.0.2.7 , 10.0.0.0/8 ,", "10.9.9.9", true)]
    public void A_listed_address_or_range_admits_its_addresses_ipv4_mapped_or_not(string list, string source, bool admitted)
    {
        Assert.True(IpRangeList.TryParse(list, out var ranges, out var invalid), invalid);

        Assert.Equal(admitted, ranges.Contains(IPAddress.Parse(source)));
    }

    [Theory]
    [InlineData("pbx.local")]
    [InlineData("10.1")]
    [InlineData("010.0.0.1")]
    [InlineData("300.1.1.1")]
    [InlineData("10.0.0.1/8")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/8/9")]
    [InlineData("fe80::1%eth0")]
    public void Anything_but_an_address_or_a_clean_range_is_refused_by_name(string entry)
    {
        Assert.False(IpRangeList.TryParse($"192.0.2.7, {entry}", out var ranges, out var invalid));

        Assert.Equal(entry, invalid);
        Assert.Equal(0, ranges.Count);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" , ")]
    public void An_unset_list_is_valid_and_admits_nobody(string? list)
    {
        Assert.True(IpRangeList.TryParse(list, out var ranges, out _));

        Assert.False(ranges.Contains(IPAddress.Loopback));
    }

    [Fact]
    public void Resolved_addresses_admit_exactly_themselves_and_their_ipv4_mapped_forms()
    {
        var ranges = IpRangeList.Of([IPAddress.Parse("::ffff:192.0.2.10"), IPAddress.Parse("2001:db8::10")]);

        Assert.True(ranges.Contains(IPAddress.Parse("192.0.2.10")));
        Assert.True(ranges.Contains(IPAddress.Parse("::ffff:192.0.2.10")));
        Assert.True(ranges.Contains(IPAddress.Parse("2001:db8::10")));
        Assert.False(ranges.Contains(IPAddress.Parse("192.0.2.11")));
        Assert.False(ranges.Contains(IPAddress.Parse("2001:db8::11")));
    }
}
