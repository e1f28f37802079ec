using Microsoft.AspNetCore.Http;

namespace Telephony.PbxSimulator;

// The client address a PBX keys its login lockout on (A4, B2) and, on S-Series, pushes events to (B3).
internal static class ClientIp
{
    public static string Of(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        return (address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address)?.ToString() ?? "127.0.0.1";
    }
}
