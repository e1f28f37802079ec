using Microsoft.Extensions.Options;
using Telephony.PbxBridge.PSeries;

namespace Telephony.PbxBridge.ApiLink;

/// <summary>
/// Long-polls the API for dial/hangup commands (design.md §1: the bridge only ever connects out), runs each once
/// against the PBX (A9) and posts the PBX's answer back. Runs whether or not the WebSocket is up: call control
/// needs only the REST API.
/// </summary>
internal sealed partial class PbxCommandPoller(
    TelephonyApiClient api,
    PSeriesApiCaller pbx,
    IOptions<PbxBridgeOptions> options,
    TimeProvider time,
    ILogger<PbxCommandPoller> logger,
    SSeries.SSeriesCommands? sSeries = null) : BackgroundService
{
    public const int WaitSeconds = 25;

    public const string DialKind = "dial";
    public const string HangupKind = "hangup";

    private const int InternalError = -2;
    private const int Failure = -1;
    private const int ParameterError = 40002;
    private const int DataNotFound = 60001;
    private const int RememberedCommands = 10_000;
    private const int ResultAttempts = 5;
    private static readonly TimeSpan BackoffInitial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan BackoffMax = TimeSpan.FromSeconds(30);

    // Command id → the result posted for it. A command the API hands out again (its result was lost, or a replica
    // re-queued it) is answered from here and never re-run: dialling twice rings a phone twice.
    private readonly Dictionary<Guid, PbxCommandResult?> executed = [];
    private readonly Queue<Guid> executedOrder = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pbxId = options.Value.TelephonyPbxId;
        var failures = 0;

        // Why a loop that never gives up: the API may be restarting or unreachable for a while; commands queued
        // meanwhile are still wanted once it is back, so errors back off (1 → 30 s, jittered) and polling resumes.
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<PbxCommand> commands;
            try
            {
                commands = await api.PollCommandsAsync(pbxId, WaitSeconds, stoppingToken);
                if (failures > 0)
                {
                    Log.PollingResumed(logger);
                }

                failures = 0;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                failures++;
                var delay = Backoff.EqualJitter(failures, BackoffInitial, BackoffMax);
                Log.PollFailed(logger, failures, delay, ex.Message);
                if (!await DelayAsync(delay, stoppingToken))
                {
                    return;
                }

                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            foreach (var command in commands)
            {
                try
                {
                    await HandleAsync(pbxId, command, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
            }
        }
    }

    private async Task HandleAsync(string pbxId, PbxCommand command, CancellationToken stoppingToken)
    {
        if (executed.TryGetValue(command.Id, out var earlier))
        {
            Log.AlreadyExecuted(logger, command.Id, command.Kind);
            if (earlier is not null)
            {
                await PostResultAsync(pbxId, command, earlier, stoppingToken);
            }

            return;
        }

        // Remembered before it runs: whatever happens next, this id is never sent to the PBX again.
        Remember(command.Id, null);
        var result = await ExecuteAsync(command, stoppingToken);
        Remember(command.Id, result);
        Log.Executed(logger, command.Id, command.Kind, result.Errcode, result.Errmsg);
        await PostResultAsync(pbxId, command, result, stoppingToken);
    }

    internal async Task<PbxCommandResult> ExecuteAsync(PbxCommand command, CancellationToken cancellationToken)
    {
        try
        {
            // S-Series mode (YEASTAR_API_VERSION=v2.0.0): the same commands through the /api/v2.0.0 REST (api.md B4).
            if (sSeries is not null)
            {
                return await sSeries.ExecuteAsync(command, cancellationToken);
            }

            return command.Kind switch
            {
                DialKind => await DialAsync(command, cancellationToken),
                HangupKind => await HangupAsync(command, cancellationToken),
                _ => new PbxCommandResult(Failure, $"FAILURE: unknown command kind '{Shorten(command.Kind ?? "", 32)}'", null),
            };
        }
        catch (YeastarApiException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // e.g. the login was refused; the message names the operation and errcode only, never a token.
            return new PbxCommandResult(ex.ErrorCode != 0 ? ex.ErrorCode : InternalError, Shorten(ex.Message, 200), null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && ex is HttpRequestException or TaskCanceledException or TimeoutException or Polly.ExecutionRejectedException or System.Text.Json.JsonException)
        {
            return new PbxCommandResult(InternalError, NetworkErrors.Describe(ex, "PBX"), null);
        }
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

    private async Task PostResultAsync(string pbxId, PbxCommand command, PbxCommandResult result, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (!await api.PostCommandResultAsync(pbxId, command.Id, result, stoppingToken))
                {
                    Log.ResultNotWanted(logger, command.Id);
                }

                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                if (attempt >= ResultAttempts)
                {
                    Log.ResultLost(logger, command.Id, attempt, ex.Message);
                    return;
                }

                var delay = Backoff.EqualJitter(attempt, BackoffInitial, BackoffMax);
                Log.ResultPostFailed(logger, command.Id, attempt, delay, ex.Message);
                if (!await DelayAsync(delay, stoppingToken))
                {
                    return;
                }
            }
        }
    }

    private void Remember(Guid id, PbxCommandResult? result)
    {
        if (!executed.ContainsKey(id))
        {
            executedOrder.Enqueue(id);
            if (executedOrder.Count > RememberedCommands)
            {
                executed.Remove(executedOrder.Dequeue());
            }
        }

        executed[id] = result;
    }

    private static PbxCommandResult ToResult(PSeriesClient.OpenApiReply reply, string? callId) =>
        reply.Errcode == YeastarErrorCodes.Success
            ? new PbxCommandResult(YeastarErrorCodes.Success, reply.Errmsg ?? "SUCCESS", callId)
            : new PbxCommandResult(reply.Errcode, Shorten(reply.Errmsg ?? "", 200), null);

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max];

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Polling the API for commands failed (attempt {Attempt}), retrying in {Delay}: {Reason}")]
        public static partial void PollFailed(ILogger logger, int attempt, TimeSpan delay, string reason);

        [LoggerMessage(2, LogLevel.Information, "Polling the API for commands resumed")]
        public static partial void PollingResumed(ILogger logger);

        [LoggerMessage(3, LogLevel.Information, "Command {CommandId} ({Kind}) executed: errcode {Errcode} {Errmsg}")]
        public static partial void Executed(ILogger logger, Guid commandId, string kind, int errcode, string errmsg);

        [LoggerMessage(4, LogLevel.Warning, "Command {CommandId} ({Kind}) was handed out again; not executing it twice")]
        public static partial void AlreadyExecuted(ILogger logger, Guid commandId, string kind);

        [LoggerMessage(5, LogLevel.Warning, "Posting the result of command {CommandId} failed (attempt {Attempt}), retrying in {Delay}: {Reason}")]
        public static partial void ResultPostFailed(ILogger logger, Guid commandId, int attempt, TimeSpan delay, string reason);

        [LoggerMessage(6, LogLevel.Error, "Gave up posting the result of command {CommandId} after {Attempt} attempts: {Reason}")]
        public static partial void ResultLost(ILogger logger, Guid commandId, int attempt, string reason);

        [LoggerMessage(7, LogLevel.Information, "The API no longer wanted the result of command {CommandId} (unknown or already answered)")]
        public static partial void ResultNotWanted(ILogger logger, Guid commandId);
    }
}
