using Telephony.Core.Calls;
using Telephony.Core.Customers;
using Telephony.Api.PbxEvents;

namespace Telephony.Api.Calls;

/// <summary>One call: applies its PBX events in order, once, and owns its call log row.</summary>
internal interface ICallGrain : IGrainWithStringKey
{
    /// <summary>Applies the call's frames in order, pushes each change and persists the result once.</summary>
    /// <returns>The call as it is now, or null when the frames changed nothing.</returns>
    Task<CallRecord?> ApplyAsync(IReadOnlyList<ParsedFrame> frames);

    /// <summary>
    /// Shows a call from its first frame while that frame is being journaled: applied and pushed (pop-up included) when
    /// this grain has no call yet, not saved. The frame's own apply then confirms it and saves; if it never comes (the
    /// journal refused the batch and the bridge never sent it again), nothing of it was stored.
    /// </summary>
    Task ShowIfNewAsync(ParsedFrame frame);

    Task<CallRecord?> GetAsync();

    Task<CallRecord?> LinkCustomerAsync(CallCustomer customer);

    /// <summary>Links an order; the same order twice is one link.</summary>
    Task<CallRecord?> LinkOrderAsync(string orderId);

    Task<CallRecord?> AddNoteAsync(CallNote note);

    /// <summary>A caller recognised after the pop-up went out (slow CRM): linked now, pushed as call:updated.</summary>
    Task AttachProfileAsync(CustomerProfile profile);

    /// <summary>The PBX no longer has this call (its BYE was lost in a gap): close it from what is known; a later CDR still refines it.</summary>
    Task ReconcileGoneAsync();
}
