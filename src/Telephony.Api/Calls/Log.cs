namespace Telephony.Api.Calls;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Live push {EventName} for call {PbxCallId} failed")]
    public static partial void PushFailed(ILogger logger, Exception exception, string eventName, string pbxCallId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {PbxCallId} finalized from live events: no CDR arrived in time")]
    public static partial void FinalizedWithoutCdr(ILogger logger, string pbxCallId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} call logs failed; their grains retry and the journal keeps their frames unapplied")]
    public static partial void CallLogWriteFailed(ILogger logger, Exception exception, int count);
}
