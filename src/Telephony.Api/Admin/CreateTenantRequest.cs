using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Telephony.Api.Admin;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class CreateTenantRequest
{
    /// <summary>Lower-case letters, digits and dashes: it appears in keys, logs and group names.</summary>
    [Required, RegularExpression("^[a-z0-9][a-z0-9-]{1,62}$", ErrorMessage = "id must be 2-63 lower-case letters, digits or dashes.")]
    public string? Id { get; init; }

    [Required, StringLength(200, MinimumLength = 1)]
    public string? Name { get; init; }

    [Range(1, 3600)]
    public int SlaSeconds { get; init; } = 20;

    [Range(0, 600)]
    public int ShortAbandonSeconds { get; init; } = 5;
}
