using System.Text;
using System.Text.Json;
using Telephony.PbxBridge.ApiLink;
using Telephony.PbxBridge.Spool;
using Telephony.PbxSimulator;

namespace Telephony.PbxBridge.Tests.Bridge;

public sealed class ApiForwarderTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Frames_are_retried_through_an_api_outage_and_delivered_in_order_with_none_lost()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSimulator.PbxSimulator.StartAsync(PbxConnectionTests.SimulatorOptions(timeScale: 10), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        using var folder = new TempDirectory();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, new Dictionary<string, string?> { ["BRIDGE_DATA_DIR"] = folder.Path });
        await Eventually.UntilAsync(() => bridge.Logs.Count("Subscribed to Yeastar events") == 1, Timeout, "the subscription", bridge.Logs.AllText);

        api.Unavailable = true;
        var first = pbx.StartInboundCall("+79991234567", "1001", ringFor: TimeSpan.FromSeconds(2), talkFor: TimeSpan.FromSeconds(3));
        var second = pbx.StartOutboundCall("1002", "+79997654321", ringFor: TimeSpan.FromSeconds(2), talkFor: TimeSpan.FromSeconds(1));
        await pbx.WhenCallCompletedAsync(first, ct);
        await pbx.WhenCallCompletedAsync(second, ct);
        await Eventually.UntilAsync(() => api.RejectedBatches >= 3, Timeout, "the bridge to keep retrying during the outage", bridge.Logs.AllText);
        Assert.Empty(api.Frames);

        api.Unavailable = false;
        await Eventually.UntilAsync(
            () => PbxConnectionTests.HasCdr(api, first) && PbxConnectionTests.HasCdr(api, second),
            Timeout,
            "both CDRs after the outage",
            bridge.Logs.AllText);

        var frames = api.Frames;
        var seqs = frames.Select(f => f.Seq).ToList();
        Assert.Equal(Enumerable.Range(0, seqs.Count).Select(i => seqs[0] + i), seqs);
        Assert.All(frames, f =>
        {
            Assert.Equal("main", f.PbxId);
            Assert.Equal("bridge-under-test", f.BridgeId);
            Assert.Equal("websocket", f.Source);
            Assert.Equal(JsonValueKind.Object, f.Kind);
        });
        Assert.Contains(bridge.Logs.Entries, e => e.Message.StartsWith("Retrying delivery of", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Frames_spooled_during_an_outage_survive_a_crash_and_are_delivered_in_order_exactly_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var api = await FakeTelephonyApi.StartAsync();
        using var folder = new TempDirectory();
        var sources = new[] { "websocket", "cdr-backfill", "s-series-http" };
        var sent = new List<(string Frame, string Source)>();

        api.Unavailable = true;
        await using (var first = await ForwarderUnderTest.StartAsync(api, folder))
        {
            for (var i = 0; i < 250; i++)
            {
                var frame = FrameSpoolTests.Frame(i);
                var source = sources[i % 3];
                await first.Forwarder.EnqueueAsync(frame, source, ct);

                sent.Add((frame, source));
            }

            await Eventually.UntilAsync(() => api.RejectedBatches >= 2, Timeout, "retries during the outage", first.Logs.AllText);
        }

        // The first bridge is gone without a single acknowledgement; a new one over the same spool takes over.
        Assert.Empty(api.Frames);
        await using var second = await ForwarderUnderTest.StartAsync(api, folder);
        Assert.Equal(1, second.Logs.Count("holds 250 frames not yet accepted"));
        api.Unavailable = false;
        await second.Forwarder.EnqueueAsync("not json {", "websocket", ct);
        sent.Add(("not json {", "websocket"));

        await Eventually.UntilAsync(() => api.Frames.Count >= sent.Count, Timeout, "every spooled frame", second.Logs.AllText);
        await Eventually.UntilAsync(() => second.Spool.AcknowledgedSeq == api.Frames[^1].Seq, Timeout, "the checkpoint", second.Logs.AllText);

        var delivered = api.Frames;
        Assert.Equal(sent.Count, delivered.Count);
        Assert.Equal(sent.Select(s => s.Source), delivered.Select(f => f.Source));
        Assert.Equal(sent.Take(250).Select(s => s.Frame), delivered.Take(250).Select(f => f.RawFrame));
        Assert.Equal(JsonValueKind.String, delivered[^1].Kind);
        Assert.Equal(delivered.Select(f => f.Seq).Order(), delivered.Select(f => f.Seq));
        Assert.Equal(delivered.Count, delivered.Select(f => f.Seq).Distinct().Count());

        // The segment written before the crash is fully acknowledged and gone; only the one being appended to remains.
        Assert.Equal(1, second.Spool.SegmentCount);
        Assert.Single(Directory.GetFiles(FrameSpoolTests.SpoolPath(folder), "*.seg"));
    }

    [Fact]
    public void Batch_body_embeds_json_frames_verbatim_and_other_text_as_a_string()
    {
        var receivedAt = new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
        const string Frame = "{\"type\":30011,\"sn\":\"3631A2124XXX\",\"msg\":\"{\\\"call_id\\\":\\\"1725446451.243\\\"}\"}";
        var body = TelephonyApiClient.WriteEventsBody("b1",
        [
            new ForwardedFrame(41, receivedAt, "websocket", Frame, IsJson: true),
            new ForwardedFrame(42, receivedAt, "websocket", "not json {", IsJson: false),
        ]);

        var text = Encoding.UTF8.GetString(body);
        Assert.Contains("\"frame\":" + Frame, text, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(body);
        var events = document.RootElement.GetProperty("events");
        Assert.Equal("b1", document.RootElement.GetProperty("bridgeId").GetString());
        Assert.Equal(41, events[0].GetProperty("seq").GetInt64());
        Assert.Equal("2026-11-25T10:00:00Z", events[0].GetProperty("receivedAt").GetString());
        Assert.Equal("not json {", events[1].GetProperty("frame").GetString());
    }
}
