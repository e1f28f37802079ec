using System.Diagnostics;

namespace Telephony.Api.Telemetry;

/// <summary>The API's own trace source and meter: one name for both, as OpenTelemetry subscribes by name.</summary>
internal static class ApiTelemetry
{
    public const string Name = "Telephony.Api";

    public static readonly ActivitySource Source = new(Name);
}
