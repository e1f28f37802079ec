using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Telephony.Api.Health;

internal sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            // The message names the failure, never the connection string.
            return HealthCheckResult.Unhealthy("PostgreSQL is not reachable.");
        }
    }
}
