using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Telephony.Api.CallLinks;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class AddNoteRequest
{
    [Required, StringLength(4000, MinimumLength = 1)]
    public string? Note { get; init; }
}
