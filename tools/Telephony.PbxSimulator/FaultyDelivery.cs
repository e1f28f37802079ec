using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Telephony.PbxSimulator;

// Fault switch DuplicateAndReorderFrames for both kinds' event senders: reads an outbox and yields what to send, in
// order. While the switch is set every event is yielded twice, and when the next queued event has another key (another
// call, or a call and an extension) the two are swapped. Items without a key (replies) always pass once, in order.
internal static class FaultyDelivery
{
    public static async IAsyncEnumerable<string> ReadAsync(
        ChannelReader<string> outbox, PbxFaults faults, Func<string, string?> eventKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? carried = null;
        while (true)
        {
            string item;
            if (carried is not null)
            {
                item = carried;
                carried = null;
            }
            else
            {
                if (!await outbox.WaitToReadAsync(cancellationToken))
                {
                    yield break;
                }

                if (!outbox.TryRead(out var read))
                {
                    continue;
                }

                item = read;
            }

            if (!faults.DuplicateAndReorderFrames || eventKey(item) is not { } key)
            {
                yield return item;
                continue;
            }

            if (outbox.TryRead(out var next))
            {
                if (eventKey(next) is { } nextKey && !string.Equals(key, nextKey, StringComparison.Ordinal))
                {
                    faults.CountReordered();
                    yield return next;
                    yield return next;
                    faults.CountDuplicated();
                }
                else
                {
                    carried = next;
                }
            }

            yield return item;
            yield return item;
            faults.CountDuplicated();
        }
    }
}
