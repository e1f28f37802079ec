using System.Security.Cryptography;
using System.Text;
using Telephony.Api.PbxEvents;
using Telephony.Core.Yeastar;

namespace Telephony.Api.Tests.PbxEvents;

/// <summary>
/// Journaled keys must never change between versions: a bridge retrying a batch across an upgrade would otherwise
/// get its frames journaled (and applied) twice.
/// </summary>
public sealed class FrameDedupeKeyTests
{
    [Theory]
    [InlineData("{\"type\":30011,\"sn\":\"1\",\"msg\":\"{}\"}", 0)]
    [InlineData("{\"type\":30011,\"msg\":\"caller \\u00e9\\u4e2d \\ud83d\\udcde\"}", 1234567)]
    [InlineData("heartbeat response", 9999999)]
    public void A_frame_key_is_the_sha256_of_the_receipt_instant_and_the_frame(string frame, int ticks)
    {
        var receivedAt = new DateTimeOffset(2026, 12, 1, 23, 59, 15, TimeSpan.FromHours(3)).AddTicks(ticks);
        var documented = "frame:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{receivedAt.UtcDateTime:O}|{frame}")));

        Assert.Equal(documented, FrameDedupeKey.For(null, frame, receivedAt));
    }

    [Fact]
    public void A_long_frame_gets_the_same_kind_of_key()
    {
        var frame = new string('x', 200_000);
        var receivedAt = DateTimeOffset.UnixEpoch;

        Assert.Equal(
            "frame:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{receivedAt.UtcDateTime:O}|{frame}"))),
            FrameDedupeKey.For(new InformationalPbxEvent("x"), frame, receivedAt));
    }
}
