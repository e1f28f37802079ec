using Telephony.Core.Customers;

namespace Telephony.Api.Customers;

internal sealed class PostgresCustomerDirectory(CustomerRepository customers) : ICustomerDirectory
{
    public Task<CustomerProfile?> FindByPhoneAsync(string tenantId, string phoneE164, CancellationToken cancellationToken) =>
        customers.FindByPhoneAsync(tenantId, phoneE164, cancellationToken);
}
