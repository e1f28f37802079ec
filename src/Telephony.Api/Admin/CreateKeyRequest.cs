using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Telephony.Api.Admin;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class CreateKeyRequest
{
    [Required, RegularExpression("^(admin|agent|bridge)$", ErrorMessage = "role must be admin, agent or bridge.")]
    public string? Role { get; init; }

    /// <summary>Required for a bridge key: the one PBX it may post events for.</summary>
    [StringLength(63)]
    public string? PbxId { get; init; }

    [Required, StringLength(200, MinimumLength = 1)]
    public string? Name { get; init; }
}
