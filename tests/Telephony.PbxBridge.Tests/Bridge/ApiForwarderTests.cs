using System.Text;
using System.Text.Json;
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
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api);
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
