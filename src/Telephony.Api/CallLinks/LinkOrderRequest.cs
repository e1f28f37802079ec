using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Telephony.Api.CallLinks;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class LinkOrderRequest
{
    [Required, StringLength(100, MinimumLength = 1)]
    public string? OrderId { get; init; }
}
