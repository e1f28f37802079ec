using System.Globalization;
using Telephony.Core.Customers;

namespace Telephony.Api.Customers;

/// <summary>
/// A few hundred demo customers for the demo tenant. Their numbers (8 916 000 00 00 … 02 99) are the
/// simulator's regular callers, so the demo shows recognised callers as well as new ones.
/// </summary>
internal sealed class DemoCustomerSeeder(CustomerRepository customers)
{
    public const int Count = 300;

    private static readonly string[] FirstNames = ["Anna", "Ivan", "Maria", "Dmitry", "Olga", "Sergey", "Elena", "Pavel", "Irina", "Alexei", "Natalia", "Mikhail"];
    private static readonly string[] LastNames = ["Petrova", "Ivanov", "Smirnova", "Kuznetsov", "Popova", "Sokolov", "Lebedeva", "Kozlov", "Novikova", "Morozov"];
    private static readonly string[] Tiers = ["bronze", "bronze", "bronze", "silver", "silver", "gold", "platinum"];

    public async Task SeedAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (await customers.CountAsync(tenantId, cancellationToken) >= Count)
        {
            return;
        }

        var random = new Random(42);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < Count; i++)
        {
            var orders = Enumerable.Range(0, random.Next(0, 6))
                .Select(n => new CustomerOrder($"demo-{i:D3}-{n}", now.AddDays(-random.Next(1, 120)).AddMinutes(-random.Next(0, 1440)), Math.Round((decimal)(random.NextDouble() * 60 + 8), 2)))
                .ToList();
            var name = $"{FirstNames[random.Next(FirstNames.Length)]} {LastNames[random.Next(LastNames.Length)]}";
            var profile = new CustomerProfile(
                $"cust-{i:D3}",
                name,
                string.Create(CultureInfo.InvariantCulture, $"+7916000{i:D4}"),
                $"customer{i:D3}@example.com",
                Tiers[random.Next(Tiers.Length)],
                [.. orders]);
            await customers.UpsertAsync(tenantId, profile, cancellationToken);
        }
    }
}
