using Microsoft.Extensions.DependencyInjection;
using Telephony.Api.Commands;

namespace Telephony.Api.Tests.Commands;

/// <summary>The bridge's long poll against the command queue grain itself.</summary>
public sealed class CommandPollTests(TelephonyApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Regression: a poll whose bridge had hung up kept waiting and took the next command to nobody, and it held up a
    // graceful stop of the API for the rest of its wait.
    [Fact]
    public async Task A_poll_whose_bridge_is_gone_ends_at_once_and_leaves_the_next_command_to_the_next_poll()
    {
        var link = api.Services.GetRequiredService<IGrainFactory>().GetGrain<IPbxLinkGrain>($"poll-test-{Guid.NewGuid():N}/main");
        using (var gone = CancellationTokenSource.CreateLinkedTokenSource(Ct))
        {
            var abandoned = link.PollAsync(TimeSpan.FromMinutes(1), gone.Token);
            await gone.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        }

        var command = new PbxCommand(Guid.NewGuid(), "dial", "1001", "89160000005", false, null, null, DateTimeOffset.UtcNow);
        await link.EnqueueAsync(command);
        var next = await link.PollAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(command.Id, Assert.Single(next).Id);
    }
}
