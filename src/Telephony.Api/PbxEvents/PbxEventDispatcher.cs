using Telephony.Api.Calls;
using Telephony.Api.Switchboard;
using Telephony.Core.Calls;
using Telephony.Core.Yeastar;

namespace Telephony.Api.PbxEvents;

/// <summary>
/// Hands normalized events to the grains that own them: each call's frames to its grain in one call (in order),
/// calls in parallel; the tenant's switchboard hears once per dispatch about the calls and extensions that changed.
/// </summary>
internal sealed class PbxEventDispatcher(IGrainFactory grains, ILogger<PbxEventDispatcher> logger)
{
    /// <summary>Applies the frames and returns the dedupe keys of those applied.</summary>
    public async Task<IReadOnlyList<string>> DispatchAsync(string tenantId, string pbxId, IReadOnlyList<ParsedFrame> frames)
    {
        var applied = new List<string>(frames.Count);
        var changedCalls = new List<CallRecord>();
        var byCall = frames.Where(IsCallFrame)
            .GroupBy(f => PbxEventCallId.Of(f.Event)!, StringComparer.Ordinal)
            .Select(async call =>
            {
                var own = call.ToList();
                try
                {
                    return (Frames: own, Call: await grains.GetGrain<ICallGrain>(CallGrainKey.For(tenantId, pbxId, call.Key)).ApplyAsync(own), Applied: true);
                }
                catch (Exception ex)
                {
                    // The frames stay journaled and unapplied; the replay service tries them again.
                    Log.ApplyFailed(logger, ex, own[0].EventType ?? "?", tenantId, pbxId);
                    return (Frames: own, Call: null, Applied: false);
                }
            });
        var extensionFrames = frames.Where(IsExtensionFrame).ToList();
        var extensions = ApplyExtensionsAsync(tenantId, pbxId, extensionFrames);

        foreach (var result in await Task.WhenAll(byCall))
        {
            if (result.Applied)
            {
                applied.AddRange(result.Frames.Select(f => f.DedupeKey));
                if (result.Call is { } call)
                {
                    changedCalls.Add(call);
                }
            }
        }

        if (changedCalls.Count > 0)
        {
            await grains.GetGrain<ISwitchboardGrain>(tenantId).CallsChangedAsync(changedCalls);
        }

        if (await extensions)
        {
            applied.AddRange(extensionFrames.Select(f => f.DedupeKey));
        }

        // Nothing to apply for the rest (informational frames): done once journaled.
        applied.AddRange(frames.Where(f => !IsCallFrame(f) && !IsExtensionFrame(f)).Select(f => f.DedupeKey));
        return applied;
    }

    private async Task<bool> ApplyExtensionsAsync(string tenantId, string pbxId, List<ParsedFrame> frames)
    {
        if (frames.Count == 0)
        {
            return true;
        }

        try
        {
            await grains.GetGrain<ISwitchboardGrain>(tenantId).ExtensionsChangedAsync(pbxId, [.. frames.Select(f => f.Event)]);
            return true;
        }
        catch (Exception ex)
        {
            Log.ApplyFailed(logger, ex, frames[0].EventType ?? "?", tenantId, pbxId);
            return false;
        }
    }

    private static bool IsCallFrame(ParsedFrame frame) => frame.Event is CallStatusChanged or CallFailed or CallDetailRecord or SatisfactionSurveyed;

    private static bool IsExtensionFrame(ParsedFrame frame) =>
        frame.Event is ExtensionCallStatusChanged or ExtensionRegistrationChanged or ExtensionPresenceChanged or ExtensionConfigurationChanged;
}
