using Telephony.Api.Fleet;
using Telephony.Core.Fleet;
using Telephony.Core.Storage;

namespace Telephony.Api.Tenancy;

/// <summary>
/// "Tables are created on first run": migrate, then create the demo tenant, before requests are served. After a key
/// rotation, client secrets still sealed under the previous key are re-sealed under the current one, so the
/// previous key can be retired once this has run (README: rotating the secrets key).
/// </summary>
internal sealed class StartupMigrationService(SchemaMigrator migrator, DemoTenantSeeder demo, FleetRepository fleet, PbxSecrets secrets, ILogger<StartupMigrationService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await migrator.MigrateAsync(cancellationToken);
        await demo.SeedAsync(cancellationToken);
        if (secrets.Cipher is { } cipher)
        {
            var (resealed, unreadable) = await fleet.ResealClientSecretsAsync(cipher, cancellationToken);
            if (resealed > 0 || unreadable > 0)
            {
                Log.ClientSecretsResealed(logger, resealed, unreadable, cipher.CurrentKeyId);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
