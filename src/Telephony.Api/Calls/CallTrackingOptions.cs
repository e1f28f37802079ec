using System.ComponentModel.DataAnnotations;

namespace Telephony.Api.Calls;

internal sealed class CallTrackingOptions
{
    public const string SectionName = "CallTracking";

    /// <summary>How long an ended call waits for its CDR before it is finalized from live events.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CdrGracePeriod { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A live call with no frame for this long is finalized (a lost BYE must not keep it active forever).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "7.00:00:00")]
    public TimeSpan StuckCallTimeout { get; set; } = TimeSpan.FromHours(4);
}
