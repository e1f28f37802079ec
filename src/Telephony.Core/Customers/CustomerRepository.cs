using System.Collections.Immutable;
using Dapper;
using Npgsql;

namespace Telephony.Core.Customers;

/// <summary>The built-in customer directory and what calls tell about a number.</summary>
public sealed class CustomerRepository(NpgsqlDataSource dataSource)
{
    public async Task<CustomerProfile?> FindByPhoneAsync(string tenantId, string phoneE164, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var customer = await connection.QueryFirstOrDefaultAsync<(string Id, string Name, string PhoneE164, string? Email, string? LoyaltyTier)>(new CommandDefinition(
            "select id, name, phone_e164, email, loyalty_tier from customers where tenant_id = @tenantId and phone_e164 = @phoneE164 order by created_at limit 1",
            new { tenantId, phoneE164 }, cancellationToken: cancellationToken));
        if (customer.Id is null)
        {
            return null;
        }

        var orders = await connection.QueryAsync<(string OrderId, DateTime PlacedAt, decimal Total)>(new CommandDefinition(
            "select order_id, placed_at, total from customer_orders where tenant_id = @tenantId and customer_id = @Id order by placed_at desc limit 5",
            new { tenantId, customer.Id }, cancellationToken: cancellationToken));
        return new CustomerProfile(customer.Id, customer.Name, customer.PhoneE164, customer.Email, customer.LoyaltyTier,
            [.. orders.Select(o => new CustomerOrder(o.OrderId, new DateTimeOffset(DateTime.SpecifyKind(o.PlacedAt, DateTimeKind.Utc)), o.Total))]);
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
