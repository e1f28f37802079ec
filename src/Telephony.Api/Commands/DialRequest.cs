using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Telephony.Api.Commands;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class DialRequest
{
    /// <summary>The extension that rings first and then calls <see cref="To"/>.</summary>
    [Required, RegularExpression("^[0-9]{1,15}$", ErrorMessage = "from must be an extension number.")]
    public string? From { get; init; }

    /// <summary>An extension or a phone number; spaces, dashes, dots and brackets are ignored.</summary>
    [Required, StringLength(40, MinimumLength = 1)]
    public string? To { get; init; }

    /// <summary>Asks the caller's phone to pick up by itself (only phones that support it).</summary>
    public bool AutoAnswer { get; init; }

    /// <summary>Not supported by P-Series call/dial (no caller-ID parameter): a request that sets it is refused.</summary>
    [StringLength(100)]
    public string? CallerIdName { get; init; }
}
