using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Telephony.Api.Fleet;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class LeaseRequest
{
    [Required, StringLength(200, MinimumLength = 1)]
    [Description("The bridge taking the lease: stable for the life of the process, unique among fleet bridges.")]
    public string? BridgeId { get; init; }

    [Range(1, long.MaxValue)]
    [Description("To renew: the epoch of the lease this bridge holds. Leave out to acquire.")]
    public long? Epoch { get; init; }

    [Range(5, 600)]
    [Description("How long the lease lasts from now, in seconds (default 30); renew well before it ends.")]
    public int? TtlSeconds { get; init; }
}
