using Telephony.Core.Calls;
using Telephony.Core.Yeastar;

namespace Telephony.Api.Switchboard;

/// <summary>A tenant's live view: calls in progress and extension status. Keyed by tenant id.</summary>
internal interface ISwitchboardGrain : IGrainWithStringKey
{
    Task CallChangedAsync(CallRecord call);

    Task<IReadOnlyList<CallRecord>> GetActiveCallsAsync();

    /// <summary>The calls one dispatch of frames changed, in one message instead of one per call.</summary>
    Task CallsChangedAsync(IReadOnlyList<CallRecord> calls);

    /// <summary>Extension status, registration, presence and configuration frames of one PBX, in PBX order.</summary>
    Task ExtensionsChangedAsync(string pbxId, IReadOnlyList<PbxEvent> events);
}
