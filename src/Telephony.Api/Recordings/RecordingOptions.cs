using System.ComponentModel.DataAnnotations;

namespace Telephony.Api.Recordings;

internal sealed class RecordingOptions
{
    public const string SectionName = "Recordings";

    /// <summary>How often the leading replica removes recordings past their tenant's retention.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "Recordings:RetentionSweepInterval must be between 1 second and 1 day.")]
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromHours(1);
}
