using Telephony.Core.Calls;
using Telephony.Core.Yeastar;

namespace Telephony.Api.Switchboard;

/// <summary>A tenant's live view: calls in progress and extension status. Keyed by tenant id.</summary>
internal interface ISwitchboardGrain : IGrainWithStringKey
{
    Task CallChangedAsync(CallRecord call);

    Task<IReadOnlyList<CallRecord>> GetActiveCallsAsync();

    Task ExtensionChangedAsync(string pbxId, PbxEvent pbxEvent);
}
