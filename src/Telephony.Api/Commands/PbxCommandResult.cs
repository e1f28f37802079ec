using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

namespace Telephony.Api.Commands;

/// <summary>What the PBX answered: errcode 0 with its call id, or its errcode and errmsg.</summary>
[GenerateSerializer, Alias("Telephony.PbxCommandResult")]
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed class PbxCommandResult
{
    [Id(0)]
    public int Errcode { get; init; }

    [Id(1), StringLength(500)]
    public string? Errmsg { get; init; }

    [Id(2), StringLength(100)]
    public string? CallId { get; init; }
}
