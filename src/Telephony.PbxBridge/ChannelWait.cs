using System.Threading.Channels;

namespace Telephony.PbxBridge;

/// <summary>Waiting for a channel's next item or a timeout, whichever comes first (the loops that wake on news or on their interval).</summary>
internal static class ChannelWait
{
    /// <summary>Returns once <paramref name="reader"/> has an item or <paramref name="timeout"/> passed; throws only when <paramref name="stoppingToken"/> is cancelled.</summary>
    public static async Task ForItemOrTimeoutAsync<T>(ChannelReader<T> reader, TimeSpan timeout, TimeProvider time, CancellationToken stoppingToken)
    {
        if (timeout <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timer.Token);
        try
        {
            await reader.WaitToReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
    }
}
