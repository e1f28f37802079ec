using Telephony.PbxBridge.ApiLink;

namespace Telephony.PbxBridge.PSeries;

/// <summary>Dial and hangup through the P-Series Open API (A9), for the command poll.</summary>
internal sealed class PSeriesCommands(PSeriesApiCaller pbx) : IPbxCommands
{
    private const int Failure = -1;
    private const int ParameterError = 40002;
    private const int DataNotFound = 60001;

    public async Task<PbxCommandResult> ExecuteAsync(PbxCommand command, CancellationToken cancellationToken) => command.Kind switch
    {
        PbxCommandPoller.DialKind => await DialAsync(command, cancellationToken),
        PbxCommandPoller.HangupKind => await HangupAsync(command, cancellationToken),
        _ => new PbxCommandResult(Failure, $"FAILURE: unknown command kind '{PbxCommandPoller.Shorten(command.Kind ?? "", 32)}'", null),
    };

    /// <summary>The handling extension's leg, else the first extension leg, else the first leg (A8.1 member wrappers).</summary>
    internal static string? PickChannel(PSeriesClient.CallInfo call, string? extension)
    {
        var members = (call.Members ?? [])
            .SelectMany(wrapper => wrapper)
            .Where(m => !string.IsNullOrEmpty(m.Value?.ChannelId))
            .ToList();
        var extensions = members.Where(m => string.Equals(m.Key, "extension", StringComparison.Ordinal)).ToList();
        var chosen = extensions.Find(m => extension is not null && string.Equals(m.Value.Number, extension, StringComparison.Ordinal));
        if (chosen.Value is null && extensions.Count > 0)
        {
            chosen = extensions[0];
        }

        if (chosen.Value is null && members.Count > 0)
        {
            chosen = members[0];
        }

        return chosen.Value?.ChannelId;
    }

    private async Task<PbxCommandResult> DialAsync(PbxCommand command, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(command.Caller) || string.IsNullOrWhiteSpace(command.Callee))
        {
            return new PbxCommandResult(ParameterError, "PARAMETER ERROR: caller and callee are required", null);
        }

        var reply = await pbx.CallAsync(
            (client, token, ct) => client.DialAsync(token, command.Caller, command.Callee, command.AutoAnswer, ct), cancellationToken);
        return ToResult(reply, reply.CallId);
    }

    private async Task<PbxCommandResult> HangupAsync(PbxCommand command, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(command.PbxCallId))
        {
            return new PbxCommandResult(ParameterError, "PARAMETER ERROR: pbxCallId is required", null);
        }

        var query = await pbx.CallAsync((client, token, ct) => client.QueryCallAsync(token, command.PbxCallId, ct), cancellationToken);
        if (query.Errcode != YeastarErrorCodes.Success)
        {
            return ToResult(query, null);
        }

        var call = query.Data?.Find(c => string.Equals(c.CallId, command.PbxCallId, StringComparison.Ordinal)) ?? query.Data?.FirstOrDefault();
        var channel = call is null ? null : PickChannel(call, command.Extension);
        if (channel is null)
        {
            // The call has ended (or never existed): Yeastar's own errcode for a missing record.
            return new PbxCommandResult(DataNotFound, "DATA NOT FOUND", null);
        }

        var reply = await pbx.CallAsync((client, token, ct) => client.HangupAsync(token, channel, ct), cancellationToken);
        return ToResult(reply, reply.CallId ?? command.PbxCallId);
    }

    private static PbxCommandResult ToResult(PSeriesClient.OpenApiReply reply, string? callId) =>
        reply.Errcode == YeastarErrorCodes.Success
            ? new PbxCommandResult(YeastarErrorCodes.Success, reply.Errmsg ?? "SUCCESS", callId)
            : new PbxCommandResult(reply.Errcode, PbxCommandPoller.Shorten(reply.Errmsg ?? "", 200), null);
}
