using System.ComponentModel.DataAnnotations;

namespace Telephony.Api.Commands;

internal sealed class CommandOptions
{
    public const string SectionName = "Commands";

    /// <summary>How long dial/hangup wait for the PBX's answer through the bridge before 504.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:01:00")]
    public TimeSpan ResultTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A bridge that has not polled for this long is offline: commands fail at once with 504.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan BridgeOfflineAfter { get; set; } = TimeSpan.FromSeconds(60);
}
