using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Telephony.PbxBridge.ApiLink;
using Telephony.PbxBridge.Spool;

namespace Telephony.PbxBridge.Tests.Bridge;

public sealed class FrameSpoolTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset Received = new(2026, 11, 25, 10, 0, 0, 123, TimeSpan.Zero);

    private readonly CapturingLoggerProvider logs = new();

    [Fact]
    public async Task A_restarted_spool_replays_exactly_the_unacknowledged_frames_in_order_with_their_seqs()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TempDirectory();
        List<ForwardedFrame> written;
        using (var spool = Open(folder))
        {
            for (var i = 0; i < 5; i++)
            {
                await spool.AppendAsync(Frame(i), i % 2 == 0 ? "websocket" : "cdr-backfill", Received.AddSeconds(i), ct);
            }

            written = [.. spool.TryRead(100)];
            spool.Acknowledge(written[1].Seq);
        }

        // A crash: nothing more acknowledged, a new instance over the same folder.
        using var restarted = Open(folder);
        var replayed = restarted.TryRead(100);

        Assert.Equal(written.Skip(2), replayed);
        Assert.Equal([Frame(2), Frame(3), Frame(4)], replayed.Select(f => f.Frame));
        Assert.Equal(Received.AddSeconds(3), replayed[1].ReceivedAt);
        Assert.Equal("cdr-backfill", replayed[1].Source);
        Assert.All(replayed, f => Assert.True(f.IsJson));

        var next = await restarted.AppendAsync(Frame(5), "websocket", Received, ct);
        Assert.True(next > written[^1].Seq);
        Assert.Equal(next, Assert.Single(restarted.TryRead(100)).Seq);
    }

    [Fact]
    public async Task Seqs_continue_from_the_checkpoint_when_every_segment_was_acknowledged()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TempDirectory();
        var future = new FakeClock(DateTimeOffset.UtcNow.AddYears(1));
        long last;
        using (var spool = Open(folder, time: future))
        {
            last = await spool.AppendAsync(Frame(1), "websocket", Received, ct);
            spool.Acknowledge(last);
        }

        using var restarted = Open(folder, time: TimeProvider.System);
        Assert.Empty(restarted.TryRead(10));
        Assert.True(await restarted.AppendAsync(Frame(2), "websocket", Received, ct) > last);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("truncated")]
    [InlineData("zeros")]
    public async Task A_torn_last_record_is_truncated_and_earlier_frames_survive(string damage)
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TempDirectory();
        using (var spool = Open(folder))
        {
            for (var i = 0; i < 3; i++)
            {
                await spool.AppendAsync(Frame(i), "websocket", Received, ct);
            }
        }

        var segment = Assert.Single(Directory.GetFiles(SpoolPath(folder), "*.seg"));
        var intact = new FileInfo(segment).Length;
        using (var file = new FileStream(segment, FileMode.Open, FileAccess.ReadWrite))
        {
            switch (damage)
            {
                case "garbage":
                    file.Seek(0, SeekOrigin.End);
                    file.Write("{\"seq\":99, half a rec"u8);
                    break;
                case "truncated":
                    file.SetLength(intact - 7);
                    break;
                default:
                    file.Seek(0, SeekOrigin.End);
                    file.Write(new byte[4096]);
                    break;
            }
        }

        using var restarted = Open(folder);
        var expected = damage == "truncated" ? 2 : 3;
        Assert.Equal(Enumerable.Range(0, expected).Select(Frame), restarted.TryRead(100).Select(f => f.Frame));
        Assert.Equal(1, logs.Count("torn record"));
        Assert.True(new FileInfo(segment).Length <= intact);

        await restarted.AppendAsync(Frame(9), "websocket", Received, ct);
        Assert.Equal(Frame(9), Assert.Single(restarted.TryRead(100)).Frame);
    }

    [Fact]
    public async Task Acknowledged_segments_are_deleted()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TempDirectory();
        using var spool = Open(folder, segmentBytes: 300);
        for (var i = 0; i < 10; i++)
        {
            await spool.AppendAsync(Frame(i), "websocket", Received, ct);
        }

        var frames = spool.TryRead(100);
        var segmentsBefore = Directory.GetFiles(SpoolPath(folder), "*.seg").Length;
        Assert.True(segmentsBefore >= 5, $"{segmentsBefore} segments");
        var bytesBefore = spool.TotalBytes;

        spool.Acknowledge(frames[6].Seq);

        var remaining = Directory.GetFiles(SpoolPath(folder), "*.seg").Length;
        Assert.InRange(remaining, 1, segmentsBefore - 3);
        Assert.Equal(remaining, spool.SegmentCount);
        Assert.True(spool.TotalBytes < bytesBefore);
        Assert.Equal(frames[6].Seq, long.Parse(File.ReadAllText(Path.Combine(SpoolPath(folder), "acked")), System.Globalization.CultureInfo.InvariantCulture));

        using var restarted = Open(folder, segmentBytes: 300);
        Assert.Equal(frames.Skip(7), restarted.TryRead(100));
    }

    [Fact]
    public async Task Near_full_logs_a_warning_and_sets_the_metric_at_80_percent()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TempDirectory();
        using var spool = Open(folder, maxBytes: 2000, segmentBytes: 500);
        using var metrics = new SpoolMetrics(spool.Meter);

        while (spool.TotalBytes < 1500)
        {
            await spool.AppendAsync(Frame(1), "websocket", Received, ct);
            Assert.False(spool.IsNearFull);
        }

        Assert.Equal(0, logs.Count("80% or more"));
        Assert.Equal(0, metrics.Read("telephony.bridge.spool.near_full"));

        while (spool.TotalBytes < 1600)
        {
            await spool.AppendAsync(Frame(1), "websocket", Received, ct);
        }

        Assert.True(spool.IsNearFull);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("80% or more", StringComparison.Ordinal));
        Assert.Equal(1, metrics.Read("telephony.bridge.spool.near_full"));
        Assert.Equal(spool.TotalBytes, metrics.Read("telephony.bridge.spool.bytes"));
    }

    [Fact]
    public async Task A_full_spool_holds_the_producer_back_until_the_api_acknowledges()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TempDirectory();
        using var spool = Open(folder, maxBytes: 1000, segmentBytes: 1);
        var appended = new List<long>();
        while (spool.TotalBytes + 200 <= 1000)
        {
            appended.Add(await spool.AppendAsync(Frame(1), "websocket", Received, ct));
        }

        var blocked = spool.AppendAsync(Frame(2), "websocket", Received, ct).AsTask();
        await Eventually.UntilAsync(() => logs.Count("Frame spool is full") == 1, Timeout, "the spool-full error", logs.AllText);
        Assert.False(blocked.IsCompleted);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("nothing is dropped", StringComparison.Ordinal));

        var read = spool.TryRead(100);
        Assert.Equal(appended, read.Select(f => f.Seq));
        spool.Acknowledge(read[1].Seq);

        var seq = await blocked.WaitAsync(Timeout, ct);
        Assert.True(seq > appended[^1]);
        Assert.Equal(Frame(2), Assert.Single(spool.TryRead(100)).Frame);
    }

    [Fact]
    public async Task Concurrent_appenders_share_fsyncs_and_the_reader_sees_every_frame_once_in_seq_order()
    {
        var ct = TestContext.Current.CancellationToken;
        using var folder = new TempDirectory();
        using var spool = Open(folder, segmentBytes: 4096);
        var producers = Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await spool.AppendAsync(Frame((p * 1000) + i), "websocket", Received, ct);
            }
        }, ct)).ToList();

        var seen = new List<ForwardedFrame>();
        while (seen.Count < 400)
        {
            seen.AddRange(await spool.ReadAsync(200, ct).AsTask().WaitAsync(Timeout, ct));
        }

        await Task.WhenAll(producers);
        Assert.Equal(400, seen.Select(f => f.Seq).Distinct().Count());
        Assert.Equal(seen.Select(f => f.Seq).Order(), seen.Select(f => f.Seq));
        for (var p = 0; p < 4; p++)
        {
            Assert.Equal(Enumerable.Range(0, 100).Select(i => Frame((p * 1000) + i)), seen.Where(f => IsFrom(f, p)).Select(f => f.Frame));
        }
    }

    public void Dispose() => logs.Dispose();

    internal static string Frame(int n) => $"{{\"type\":30011,\"sn\":\"3631A2124XXX\",\"n\":{n}}}";

    internal static string SpoolPath(TempDirectory folder) => Path.Combine(folder.Path, "spool");

    private static bool IsFrom(ForwardedFrame frame, int producer)
    {
        var n = int.Parse(frame.Frame.Split("\"n\":")[1].TrimEnd('}'), System.Globalization.CultureInfo.InvariantCulture);
        return n / 1000 == producer;
    }

    private FrameSpool Open(TempDirectory folder, long maxBytes = 1024 * 1024, long segmentBytes = 64 * 1024, TimeProvider? time = null) =>
        new(SpoolPath(folder), maxBytes, segmentBytes, time ?? TimeProvider.System, logs.CreateLogger("FrameSpool"));

    private sealed class FakeClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class SpoolMetrics : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly Dictionary<string, long> last = [];

        public SpoolMetrics(Meter meter)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == meter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => last[instrument.Name] = value);
            listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => last[instrument.Name] = value);
            listener.Start();
        }

        public long Read(string name)
        {
            listener.RecordObservableInstruments();
            return last[name];
        }

        public void Dispose() => listener.Dispose();
    }
}
