using Telephony.Core.Calls;
using Telephony.Core.Customers;
using Telephony.Core.Yeastar;

namespace Telephony.Api.Calls;

/// <summary>One call: applies its PBX events in order, once, and owns its call log row.</summary>
internal interface ICallGrain : IGrainWithStringKey
{
    Task ApplyAsync(PbxEvent pbxEvent, DateTimeOffset receivedAt);

    Task<CallRecord?> GetAsync();

    Task<CallRecord?> LinkCustomerAsync(CallCustomer customer);

    /// <summary>Links an order; the same order twice is one link.</summary>
    Task<CallRecord?> LinkOrderAsync(string orderId);

    Task<CallRecord?> AddNoteAsync(CallNote note);

    /// <summary>A caller recognised after the pop-up went out (slow CRM): linked now, pushed as call:updated.</summary>
    Task AttachProfileAsync(CustomerProfile profile);
}
