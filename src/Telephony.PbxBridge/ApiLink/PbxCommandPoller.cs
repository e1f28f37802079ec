using Microsoft.Extensions.Options;

namespace Telephony.PbxBridge.ApiLink;

/// <summary>
/// Long-polls the API for dial/hangup commands (design.md §1: the bridge only ever connects out), runs each once
/// against the PBX through its family's <see cref="IPbxCommands"/> and posts the PBX's answer back. Runs whether or
/// not the WebSocket is up: call control needs only the REST API.
/// </summary>
internal sealed partial class PbxCommandPoller(
    TelephonyApiClient api,
    IPbxCommands commands,
    IOptions<PbxBridgeOptions> options,
    TimeProvider time,
    ILogger<PbxCommandPoller> logger) : BackgroundService
{
    public const int WaitSeconds = 25;

    public const string DialKind = "dial";
    public const string HangupKind = "hangup";

    private const int InternalError = -2;
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
                Log.PollFailed(logger, failures, delay, NetworkErrors.Describe(ex, "the API"));
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
            // Through the PBX's own family: the Open API (A9) or, with YEASTAR_API_VERSION=v2.0.0, the S-Series REST (B4).
            return await commands.ExecuteAsync(command, cancellationToken);
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
                    Log.ResultLost(logger, command.Id, attempt, NetworkErrors.Describe(ex, "the API"));
                    return;
                }

                var delay = Backoff.EqualJitter(attempt, BackoffInitial, BackoffMax);
                Log.ResultPostFailed(logger, command.Id, attempt, delay, NetworkErrors.Describe(ex, "the API"));
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

    internal static string Shorten(string text, int max) => text.Length <= max ? text : text[..max];

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
