using Telephony.Core.Calls;
using Telephony.Core.Storage;

namespace Telephony.Api.Calls;

/// <summary>
/// Where a call grain finds its stored call on activation. The calls of a busy second activate by the hundred, nearly
/// all new; one query answers all of them instead of one each.
/// </summary>
internal sealed class CallActivationReads : IDisposable
{
    private readonly CoalescedReads<(string TenantId, string PbxId, string PbxCallId), CallRecord> _reads;

    public CallActivationReads(CallRepository calls) =>
        _reads = new(async (keys, ct) => await calls.FindByPbxCallIdsAsync(keys, ct));

    public Task<CallRecord?> FindAsync(string tenantId, string pbxId, string pbxCallId) => _reads.FindAsync((tenantId, pbxId, pbxCallId));

    public void Dispose() => _reads.Dispose();
}
