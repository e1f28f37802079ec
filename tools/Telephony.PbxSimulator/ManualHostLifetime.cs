using Microsoft.Extensions.Hosting;

namespace Telephony.PbxSimulator;

// Replaces the console lifetime: the simulator is stopped only through DisposeAsync, so
// hosting it inside a test runner never hijacks that process's Ctrl-C or SIGTERM handling.
internal sealed class ManualHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
