namespace Telephony.FaultTests;

/// <summary>The API as the fault suite runs it: the shared test host with quiet logs (warnings and worse), archiving
/// recordings in Azurite.</summary>
public static class FaultApiHost
{
    public static ApiHost Start(string databaseUrl) => ApiHost.Start(databaseUrl, new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Orleans"] = "Error",
        ["RECORDINGS_STORAGE_CONNECTION_STRING"] = TestServices.Azurite,
    });
}
