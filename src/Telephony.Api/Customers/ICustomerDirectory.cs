using Telephony.Core.Customers;

namespace Telephony.Api.Customers;

/// <summary>Who is calling: the built-in PostgreSQL directory, or FoodFlow's CRM over HTTP.</summary>
internal interface ICustomerDirectory
{
    Task<CustomerProfile?> FindByPhoneAsync(string tenantId, string phoneE164, CancellationToken cancellationToken);
}
