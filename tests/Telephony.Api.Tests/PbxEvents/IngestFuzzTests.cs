using System.Net;
using System.Text;
using CsCheck;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.PbxEvents;

/// <summary>Whatever a (broken) bridge posts, the ingest endpoint answers 2xx/4xx, never 5xx, and keeps serving.</summary>
public sealed class IngestFuzzTests(TelephonyApiFactory api)
{
    [Fact]
    public async Task Random_batches_never_get_a_5xx()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        var fixture = PbxFrames.Fixture("p-30011-ringing-inbound.json").ToJsonString();
        var frame = Gen.OneOf(
            Gen.Const(fixture),
            Gen.Const("\"heartbeat response\""),
            Gen.String.Select(s => System.Text.Json.JsonSerializer.Serialize(s)),
            Gen.Const("{\"type\":30011,\"msg\":42}"),
            Gen.Const("null"),
            Gen.Const("{\"type\":1e400}"));
        var item = from seq in Gen.Long[-5, long.MaxValue]
                   from f in frame
                   from source in Pick("websocket", "cdr-backfill", "s-series-http", "??")
                   from withSeq in Gen.Bool
                   select withSeq ? $"{{\"seq\":{seq},\"source\":\"{source}\",\"frame\":{f}}}" : $"{{\"frame\":{f}}}";
        var body = Gen.OneOf(
            item.Array[0, 20].Select(items => $"{{\"bridgeId\":\"fuzz\",\"events\":[{string.Join(',', items)}]}}"),
            Gen.String,
            Gen.Const("{\"bridgeId\":\"fuzz\",\"events\":{}}"),
            Gen.Const("{\"events\":[]}"));

        await body.SampleAsync(async text =>
        {
            using var response = await bridge.PostAsync($"api/pbx/{tenant.PbxId}/events", new StringContent(text, Encoding.UTF8, "application/json"), ct);
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {text}");
        }, iter: 300);

        using var anonymous = api.CreateAnonymousClient();
        using var health = await anonymous.GetAsync("health/ready", ct);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Oversized_batches_are_refused_with_413()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        var tooMany = "{\"bridgeId\":\"b\",\"events\":[" + string.Join(',', Enumerable.Range(1, 1001).Select(i => $"{{\"seq\":{i},\"frame\":{{}}}}")) + "]}";
        using var many = await bridge.PostAsync($"api/pbx/{tenant.PbxId}/events", new StringContent(tooMany, Encoding.UTF8, "application/json"), ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, many.StatusCode);

        var huge = "{\"bridgeId\":\"b\",\"events\":[{\"seq\":1,\"frame\":\"" + new string('x', 9 * 1024 * 1024) + "\"}]}";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/pbx/{tenant.PbxId}/events") { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        using var big = await bridge.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
    }

    private static Gen<T> Pick<T>(params T[] items) => Gen.Int[0, items.Length - 1].Select(i => items[i]);
}
