using Telephony.PbxBridge.ApiLink;

namespace Telephony.PbxBridge.SSeries;

/// <summary>
/// Runs the API's dial/hangup commands through the S-Series REST (api.md B4) for <see cref="PbxCommandPoller"/>.
/// Results carry the PBX's errno as errcode (B7) and "SUCCESS"/"FAILED errno N" as errmsg (S-Series has no message text).
/// </summary>
internal sealed class SSeriesCommands(SSeriesSession session) : IPbxCommands
{
    private const int ParameterError = 10004;

    public async Task<PbxCommandResult> ExecuteAsync(PbxCommand command, CancellationToken cancellationToken) => command.Kind switch
    {
        PbxCommandPoller.DialKind => await DialAsync(command, cancellationToken),
        PbxCommandPoller.HangupKind => await HangupAsync(command, cancellationToken),
        _ => new PbxCommandResult(-1, "FAILURE: unknown command kind", null),
    };

    /// <summary>The handling extension's leg, else the first extension leg, else the first leg (B3 member wrappers).</summary>
    internal static string? PickChannel(SSeriesClient.CallInfo call, string? extension)
    {
        var members = (call.Members ?? []).SelectMany(w => w).Where(m => !string.IsNullOrEmpty(m.Value?.Channelid)).ToList();
        var extensions = members.Where(m => string.Equals(m.Key, "ext", StringComparison.Ordinal)).ToList();
        var chosen = extensions.Find(m => extension is not null && string.Equals(m.Value.Number, extension, StringComparison.Ordinal));
        if (chosen.Value is null && extensions.Count > 0)
        {
            chosen = extensions[0];
        }

        if (chosen.Value is null && members.Count > 0)
        {
            chosen = members[0];
        }

        return chosen.Value?.Channelid;
    }

    private async Task<PbxCommandResult> DialAsync(PbxCommand command, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(command.Caller) || string.IsNullOrWhiteSpace(command.Callee))
        {
            return new PbxCommandResult(ParameterError, "PARAMETER ERROR: caller and callee are required", null);
        }

        var reply = await session.CallAsync((client, token, ct) => client.DialAsync(token, command.Caller, command.Callee, command.AutoAnswer, ct), cancellationToken);
        return ToResult(reply, reply.Callid);
    }

    private async Task<PbxCommandResult> HangupAsync(PbxCommand command, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(command.PbxCallId))
        {
            return new PbxCommandResult(ParameterError, "PARAMETER ERROR: pbxCallId is required", null);
        }

        var query = await session.CallAsync((client, token, ct) => client.QueryCallAsync(token, command.PbxCallId, ct), cancellationToken);
        if (!query.IsSuccess)
        {
            return ToResult(query, null);
        }

        var call = query.Calls?.Find(c => string.Equals(c.Callid, command.PbxCallId, StringComparison.Ordinal)) ?? query.Calls?.FirstOrDefault();
        if ((call is null ? null : PickChannel(call, command.Extension)) is not { } channel)
        {
            // B7 10007 "call does not exist".
            return new PbxCommandResult(SSeriesErrorCodes.CallNotFound, "FAILED errno 10007 (call does not exist)", null);
        }

        var reply = await session.CallAsync((client, token, ct) => client.HangupAsync(token, channel, ct), cancellationToken);
        return ToResult(reply, reply.Callid ?? command.PbxCallId);
    }

    private static PbxCommandResult ToResult(SSeriesClient.Reply reply, string? callId) =>
        reply.IsSuccess
            ? new PbxCommandResult(YeastarErrorCodes.Success, "SUCCESS", callId)
            : new PbxCommandResult(reply.ErrnoValue, $"FAILED errno {reply.Errno}", null);
}
