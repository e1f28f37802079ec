using Telephony.Core.Customers;
using Telephony.Core.Storage;

namespace Telephony.Api.Customers;

/// <summary>The built-in directory. Callers activating together are looked up together: one query for many numbers.</summary>
internal sealed class PostgresCustomerDirectory : ICustomerDirectory, IDisposable
{
    private readonly CoalescedReads<(string TenantId, string PhoneE164), CustomerProfile> _reads;

    public PostgresCustomerDirectory(CustomerRepository customers) =>
        _reads = new(async (numbers, ct) => await customers.FindByPhonesAsync(numbers, ct));

    public Task<CustomerProfile?> FindByPhoneAsync(string tenantId, string phoneE164, CancellationToken cancellationToken) =>
        _reads.FindAsync((tenantId, phoneE164));

    public void Dispose() => _reads.Dispose();
}
