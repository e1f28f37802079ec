using System.ComponentModel.DataAnnotations;

namespace Telephony.Api.RateLimiting;

internal sealed class RateLimitOptions
{
    public const string SectionName = "RateLimit";

    /// <summary>Requests per minute for one agent or admin key (or one address without a key).</summary>
    [Range(1, 1_000_000)]
    public int PermitsPerMinute { get; set; } = 600;

    /// <summary>Requests per minute for one bridge key: it posts event batches and long-polls commands.</summary>
    [Range(1, 1_000_000)]
    public int BridgePermitsPerMinute { get; set; } = 6000;
}
