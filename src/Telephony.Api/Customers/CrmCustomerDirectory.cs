using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Telephony.Core.Customers;

namespace Telephony.Api.Customers;

/// <summary>
/// FoodFlow's CRM: <c>GET {CRM_LOOKUP_URL}?phone=+79991234567&amp;tenant=demo</c> answers the profile, or 404 for
/// a number it does not know. The HttpClient's timeout bounds the lookup.
/// </summary>
internal sealed class CrmCustomerDirectory(HttpClient http) : ICustomerDirectory
{
    public async Task<CustomerProfile?> FindByPhoneAsync(string tenantId, string phoneE164, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"?phone={Uri.EscapeDataString(phoneE164)}&tenant={Uri.EscapeDataString(tenantId)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<CrmCustomer>(cancellationToken);
        return body?.CustomerId is null || body.Name is null
            ? null
            : new CustomerProfile(body.CustomerId, body.Name, body.Phone ?? phoneE164, body.Email, body.LoyaltyTier,
                [.. (body.RecentOrders ?? []).Where(o => o.OrderId is not null).Select(o => new CustomerOrder(o.OrderId!, o.PlacedAt ?? default, o.Total ?? 0))]);
    }

    private sealed class CrmCustomer
    {
        public string? CustomerId { get; init; }
        public string? Name { get; init; }
        public string? Phone { get; init; }
        public string? Email { get; init; }
        public string? LoyaltyTier { get; init; }
        public List<CrmOrder>? RecentOrders { get; init; }
    }

    private sealed class CrmOrder
    {
        public string? OrderId { get; init; }

        [JsonPropertyName("placedAt")]
        public DateTimeOffset? PlacedAt { get; init; }

        public decimal? Total { get; init; }
    }
}
