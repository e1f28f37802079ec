using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Telephony.Api.Admin;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class CreateFleetKeyRequest
{
    [Required, StringLength(200, MinimumLength = 1)]
    public string? Name { get; init; }
}
