using Microsoft.AspNetCore.Http.HttpResults;
using Telephony.PbxBridge.ApiLink;
using Telephony.PbxBridge.CatchUp;
using Telephony.PbxBridge.SSeries;

namespace Telephony.PbxBridge.Fleet;

/// <summary>
/// <c>POST /yeastar/events/{push secret}</c> in fleet mode: the bridge's one listener hands each push to the S-Series
/// unit whose secret ends the path (each unit gives its PBX its own URL at login), and that unit checks it exactly as a
/// single-PBX bridge does (<see cref="SSeriesEventListener"/>: the source must be its PBX, then spooled before the 200).
/// A secret no unit here has is refused like a wrong one.
/// </summary>
internal static class FleetPushRoute
{
    public static async Task<Results<Ok, ProblemHttpResult, StatusCodeHttpResult, BadRequest>> ReceiveAsync(
        HttpContext context, string? token, FleetSupervisor supervisor, SSeriesPushRefusals refusals)
    {
        if (string.IsNullOrEmpty(token))
        {
            return refusals.Refuse(context, SSeriesPushRefusal.NoPushToken);
        }

        if (supervisor.FindByPushSecret(token) is not { } unit)
        {
            return refusals.Refuse(context, SSeriesPushRefusal.WrongPushToken);
        }

        try
        {
            var services = unit.Services;
            return await SSeriesEventListener.ReceiveAsync(
                context,
                token,
                services.GetRequiredService<SSeriesPushGuard>(),
                services.GetRequiredService<ApiForwarder>(),
                services.GetRequiredService<CdrWatermark>(),
                services.GetRequiredService<LiveCallTracker>(),
                services.GetRequiredService<ILoggerFactory>());
        }
        catch (ObjectDisposedException)
        {
            // The unit stopped while the push was on its way: not acknowledged, so the PBX resends it (to the next holder
            // once it has logged in), and the next holder's backfill has the call in any case.
            return TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }
    }
}
