namespace Telephony.Api.Fleet;

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Re-sealed {Resealed} PBX client secrets under secrets key {KeyId}; {Unreadable} are under a key this server does not have and were left as they are")]
    public static partial void ClientSecretsResealed(ILogger logger, int resealed, int unreadable, string keyId);
}
