using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Telephony.Api.CallLinks;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class LinkCustomerRequest
{
    [Required, StringLength(100, MinimumLength = 1)]
    public string? CustomerId { get; init; }

    [StringLength(200)]
    public string? CustomerName { get; init; }

    [StringLength(50)]
    public string? CustomerPhone { get; init; }
}
