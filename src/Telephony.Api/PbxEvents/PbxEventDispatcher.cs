using Telephony.Api.Calls;
using Telephony.Api.Switchboard;
using Telephony.Core.Yeastar;

namespace Telephony.Api.PbxEvents;

/// <summary>Hands normalized events to the grain that owns them: one call's events in order, calls in parallel.</summary>
internal sealed class PbxEventDispatcher(IGrainFactory grains, ILogger<PbxEventDispatcher> logger)
{
    /// <summary>Applies the events and returns the dedupe keys of those applied.</summary>
    public async Task<IReadOnlyList<string>> DispatchAsync(string tenantId, string pbxId, IReadOnlyList<ParsedFrame> frames)
    {
        var applied = new List<string>(frames.Count);
        var work = frames.GroupBy(f => PbxEventCallId.Of(f.Event) ?? "").Select(async owner =>
        {
            var done = new List<string>();
            foreach (var frame in owner)
            {
                try
                {
                    await ApplyAsync(tenantId, pbxId, frame);
                    done.Add(frame.DedupeKey);
                }
                catch (Exception ex)
                {
                    // The frame stays journaled and unapplied; the replay service tries it again.
                    Log.ApplyFailed(logger, ex, frame.EventType ?? "?", tenantId, pbxId);
                    break;
                }
            }

            return done;
        });
        foreach (var done in await Task.WhenAll(work))
        {
            applied.AddRange(done);
        }

        return applied;
    }

    private Task ApplyAsync(string tenantId, string pbxId, ParsedFrame frame) => frame.Event switch
    {
        CallStatusChanged e => CallGrain(tenantId, pbxId, e.CallId).ApplyAsync(e, frame.ReceivedAt),
        CallFailed e => CallGrain(tenantId, pbxId, e.CallId).ApplyAsync(e, frame.ReceivedAt),
        CallDetailRecord e => CallGrain(tenantId, pbxId, e.CallId).ApplyAsync(e, frame.ReceivedAt),
        SatisfactionSurveyed e => CallGrain(tenantId, pbxId, e.CallId).ApplyAsync(e, frame.ReceivedAt),
        ExtensionCallStatusChanged or ExtensionRegistrationChanged or ExtensionPresenceChanged or ExtensionConfigurationChanged =>
            grains.GetGrain<ISwitchboardGrain>(tenantId).ExtensionChangedAsync(pbxId, frame.Event),
        _ => Task.CompletedTask,
    };

    private ICallGrain CallGrain(string tenantId, string pbxId, string pbxCallId) =>
        grains.GetGrain<ICallGrain>(CallGrainKey.For(tenantId, pbxId, pbxCallId));
}
