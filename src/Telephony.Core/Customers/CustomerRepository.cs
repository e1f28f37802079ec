using System.Collections.Immutable;
using Dapper;
using Npgsql;

namespace Telephony.Core.Customers;

/// <summary>The built-in customer directory and what calls tell about a number.</summary>
public sealed class CustomerRepository(NpgsqlDataSource dataSource)
{
    public async Task<CustomerProfile?> FindByPhoneAsync(string tenantId, string phoneE164, CancellationToken cancellationToken) =>
        (await FindByPhonesAsync([(tenantId, phoneE164)], cancellationToken)).GetValueOrDefault((tenantId, phoneE164));

    /// <summary>The customers of several numbers (of any tenants) with their last orders, in two queries.</summary>
    public async Task<IReadOnlyDictionary<(string TenantId, string PhoneE164), CustomerProfile>> FindByPhonesAsync(
        IReadOnlyCollection<(string TenantId, string PhoneE164)> numbers, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var customers = (await connection.QueryAsync<(string TenantId, string Id, string Name, string PhoneE164, string? Email, string? LoyaltyTier)>(new CommandDefinition(
            """
            select distinct on (c.tenant_id, c.phone_e164) c.tenant_id, c.id, c.name, c.phone_e164, c.email, c.loyalty_tier
            from customers c join unnest(@tenants, @phones) as k(tenant_id, phone_e164) using (tenant_id, phone_e164)
            order by c.tenant_id, c.phone_e164, c.created_at
            """,
            new { tenants = numbers.Select(n => n.TenantId).ToArray(), phones = numbers.Select(n => n.PhoneE164).ToArray() },
            cancellationToken: cancellationToken))).AsList();
        if (customers.Count == 0)
        {
            return new Dictionary<(string, string), CustomerProfile>();
        }

        var orders = (await connection.QueryAsync<(string TenantId, string CustomerId, string OrderId, DateTime PlacedAt, decimal Total)>(new CommandDefinition(
            """
            select tenant_id, customer_id, order_id, placed_at, total from (
              select o.*, row_number() over (partition by o.tenant_id, o.customer_id order by o.placed_at desc) as newest
              from customer_orders o join unnest(@tenants, @ids) as k(tenant_id, customer_id) using (tenant_id, customer_id)) recent
            where newest <= 5
            order by placed_at desc
            """,
            new { tenants = customers.Select(c => c.TenantId).ToArray(), ids = customers.Select(c => c.Id).ToArray() },
            cancellationToken: cancellationToken))).ToLookup(o => (o.TenantId, o.CustomerId));
        return customers.ToDictionary(
            c => (c.TenantId, c.PhoneE164),
            c => new CustomerProfile(c.Id, c.Name, c.PhoneE164, c.Email, c.LoyaltyTier,
                [.. orders[(c.TenantId, c.Id)].Select(o => new CustomerOrder(o.OrderId, new DateTimeOffset(DateTime.SpecifyKind(o.PlacedAt, DateTimeKind.Utc)), o.Total))]));
    }

    /// <summary>Agents' notes on this number's most recent calls, newest first.</summary>
    public async Task<ImmutableList<string>> LastNotesAsync(string tenantId, string phoneE164, int count, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var notes = await connection.QueryAsync<string>(new CommandDefinition(
            """
            select n.note from call_notes n
            join call_logs c on c.tenant_id = n.tenant_id and c.id = n.call_id
            where n.tenant_id = @tenantId and c.external_e164 = @phoneE164
            order by n.created_at desc
            limit @count
            """, new { tenantId, phoneE164, count }, cancellationToken: cancellationToken));
        return [.. notes];
    }

    public async Task UpsertAsync(string tenantId, CustomerProfile customer, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into customers (tenant_id, id, name, phone_e164, email, loyalty_tier) values (@tenantId, @CustomerId, @Name, @Phone, @Email, @LoyaltyTier)
            on conflict (tenant_id, id) do update set name = excluded.name, phone_e164 = excluded.phone_e164, email = excluded.email, loyalty_tier = excluded.loyalty_tier
            """, new { tenantId, customer.CustomerId, customer.Name, customer.Phone, customer.Email, customer.LoyaltyTier }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into customer_orders (tenant_id, order_id, customer_id, placed_at, total) values (@tenantId, @OrderId, @customerId, @PlacedAt, @Total)
            on conflict (tenant_id, order_id) do nothing
            """, customer.RecentOrders.Select(o => new { tenantId, o.OrderId, customerId = customer.CustomerId, o.PlacedAt, o.Total }), transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<long> CountAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("select count(*) from customers where tenant_id = @tenantId", new { tenantId }, cancellationToken: cancellationToken));
    }
}
