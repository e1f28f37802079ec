using Telephony.Core.Storage;

namespace Telephony.Api.Tenancy;

/// <summary>"Tables are created on first run": migrate, then create the demo tenant, before requests are served.</summary>
internal sealed class StartupMigrationService(SchemaMigrator migrator, DemoTenantSeeder demo) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken);
        await demo.SeedAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
