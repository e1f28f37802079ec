using Telephony.Api.PbxEvents;

namespace Telephony.Api.Tests.PbxEvents;

public sealed class CoalescedFlushTests
{
    [Fact]
    public void A_flush_that_completes_at_once_does_not_stop_the_next_items_from_going_out()
    {
        var flushed = new List<int>();
        var flush = new CoalescedFlush<int>(items => { flushed.AddRange(items); return Task.CompletedTask; }, (_, _) => { });

        flush.Add([1]);
        flush.Add([2, 3]);

        Assert.Equal([1, 2, 3], flushed);
    }

    [Fact]
    public async Task Items_added_while_a_flush_runs_go_out_together_in_the_next_one()
    {
        var batches = new List<int[]>();
        var release = new TaskCompletionSource();
        var flush = new CoalescedFlush<int>(
            async items =>
            {
                batches.Add([.. items]);
                if (batches.Count == 1)
                {
                    await release.Task;
                }
            },
            (_, _) => { });

        flush.Add([1]);
        flush.Add([2]);
        flush.Add([3]);
        release.SetResult();
        for (var i = 0; i < 100 && batches.Count < 2; i++)
        {
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Equal([[1], [2, 3]], batches);
    }

    [Fact]
    public void A_failed_flush_is_reported_and_later_items_still_go_out()
    {
        var failures = new List<int>();
        var flushed = new List<int>();
        var flush = new CoalescedFlush<int>(
            items => items.Contains(1) ? throw new InvalidOperationException("down") : Task.Run(() => flushed.AddRange(items)),
            (_, count) => failures.Add(count));

        flush.Add([1]);
        flush.Add([2]);

        Assert.Equal([1], failures);
        SpinWait.SpinUntil(() => flushed.Count == 1, TimeSpan.FromSeconds(5));
        Assert.Equal([2], flushed);
    }
}
