using Telephony.Core.Calls;
using Telephony.Core.Recordings;
using Telephony.Core.Storage;

namespace Telephony.Api.Recordings;

/// <param name="File">The PBX's file name.</param>
/// <param name="Status"><c>pending</c> (being archived), <c>archived</c>, <c>missing</c> (the PBX has none) or <c>deleted</c>.</param>
/// <param name="Url">Where to play it (<c>GET</c>, with the agent's key), once archived.</param>
internal sealed record CallRecordingDto(string File, string Status, string? Url)
{
    public static CallRecordingDto? For(CallRecord call)
    {
        if (call.State.Recording is not { Length: > 0 } file)
        {
            return null;
        }

        // A call fresh from its grain has not been read back: its recording was named by the CDR just now.
        var status = call.RecordingStatus ?? RecordingStatus.Pending;
        return new CallRecordingDto(file, StorageNames.Of(status), status == RecordingStatus.Archived ? $"/api/calls/{call.Id}/recording" : null);
    }
}
