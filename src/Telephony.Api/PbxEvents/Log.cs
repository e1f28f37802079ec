namespace Telephony.Api.PbxEvents;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Applying a {EventType} event of tenant {TenantId} PBX {PbxId} failed; it will be replayed from the journal")]
    public static partial void ApplyFailed(ILogger logger, Exception exception, string eventType, string tenantId, string pbxId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Frame seq {Seq} from PBX {PbxId} of tenant {TenantId} did not parse: {ParseError}")]
    public static partial void FrameNotParsed(ILogger logger, long seq, string pbxId, string tenantId, string parseError);

    [LoggerMessage(Level = LogLevel.Information, Message = "PBX {PbxId} of tenant {TenantId} link is now {LinkState} ({Reason})")]
    public static partial void LinkChanged(ILogger logger, string pbxId, string tenantId, string linkState, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Count} journaled frames that were not applied")]
    public static partial void Replayed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journal replay failed; will try again")]
    public static partial void ReplayFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Marking {Count} journal batches of tenant {TenantId} PBX {PbxId} applied failed; the replay offers them again, and their frames change nothing the second time")]
    public static partial void MarkFailed(ILogger logger, Exception exception, int count, string tenantId, string pbxId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telling the switchboard of tenant {TenantId} about {Count} changed calls failed")]
    public static partial void SwitchboardUpdateFailed(ILogger logger, Exception exception, int count, string tenantId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Showing call {CallId} of tenant {TenantId} PBX {PbxId} before journaling failed; it is shown once applied")]
    public static partial void EarlyShowFailed(ILogger logger, Exception exception, string callId, string tenantId, string pbxId);
}
