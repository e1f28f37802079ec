using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.CallLinks;

public sealed class CallLinksApiTests(TelephonyApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Customer_orders_and_notes_are_stored_shown_and_pushed()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);
        await PbxFrames.PostAsync(bridge, tenant.PbxId, PbxFrames.Cdr("1700000100.1", "89991234567", "1001", "ANSWERED", "Inbound", new DateTime(2026, 3, 2, 12, 0, 0), 70, 60));
        await using var hub = await api.ConnectHubAsync(tenant.AgentKey);

        (await agent.PostAsJsonAsync("api/calls/1700000100.1/customer", new { customerId = "c-42", customerName = "Anna Petrova", customerPhone = "+79991234567" }, Ct)).EnsureSuccessStatusCode();
        (await agent.PostAsJsonAsync("api/calls/1700000100.1/order", new { orderId = "o-1" }, Ct)).EnsureSuccessStatusCode();
        (await agent.PostAsJsonAsync("api/calls/1700000100.1/order", new { orderId = "o-1" }, Ct)).EnsureSuccessStatusCode();
        (await agent.PostAsJsonAsync("api/calls/1700000100.1/order", new { orderId = "o-2" }, Ct)).EnsureSuccessStatusCode();
        using var noted = await agent.PostAsJsonAsync("api/calls/1700000100.1/notes", new { note = "Asked for no onions" }, Ct);
        noted.EnsureSuccessStatusCode();

        var call = await agent.GetFromJsonAsync<JsonElement>("api/calls/1700000100.1", Ct);
        Assert.Equal("c-42", call.GetProperty("customer").GetProperty("customerId").GetString());
        Assert.Equal("Anna Petrova", call.GetProperty("customer").GetProperty("customerName").GetString());
        Assert.Equal(["o-1", "o-2"], call.GetProperty("orders").EnumerateArray().Select(o => o.GetString()));
        Assert.Equal("Asked for no onions", call.GetProperty("notes")[0].GetProperty("note").GetString());

        var pushed = await hub.WaitForAsync(e => e.Name == "call:updated" && e.Payload.GetProperty("notes").GetArrayLength() == 1);
        Assert.Equal(2, pushed.Payload.GetProperty("orders").GetArrayLength());

        var byOrder = await agent.GetFromJsonAsync<JsonElement>("api/calls/logs?orderId=o-2", Ct);
        Assert.Equal(1, byOrder.GetProperty("total").GetInt64());
        var byCustomer = await agent.GetFromJsonAsync<JsonElement>("api/calls/logs?customerId=c-42", Ct);
        Assert.Equal(1, byCustomer.GetProperty("total").GetInt64());
        var byText = await agent.GetFromJsonAsync<JsonElement>("api/calls/logs?q=onions", Ct);
        Assert.Equal(1, byText.GetProperty("total").GetInt64());
    }

    [Theory]
    [InlineData("customer", """{"customerName":"no id"}""", "CustomerId")]
    [InlineData("order", """{"orderId":""}""", "OrderId")]
    [InlineData("notes", """{"note":""}""", "Note")]
    public async Task Invalid_link_is_refused_with_the_field_named_and_nothing_written(string what, string body, string field)
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);
        await PbxFrames.PostAsync(bridge, tenant.PbxId, PbxFrames.Cdr("1700000200.1", "89991234567", "1001", "ANSWERED", "Inbound", new DateTime(2026, 3, 2, 12, 0, 0), 70, 60));

        using var response = await agent.PostAsync($"api/calls/1700000200.1/{what}", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), p => p.Name.Equals(field, StringComparison.OrdinalIgnoreCase));
        var call = await agent.GetFromJsonAsync<JsonElement>("api/calls/1700000200.1", Ct);
        Assert.Equal(JsonValueKind.Null, call.GetProperty("customer").ValueKind);
        Assert.Equal(0, call.GetProperty("orders").GetArrayLength());
        Assert.Equal(0, call.GetProperty("notes").GetArrayLength());
    }

    [Fact]
    public async Task Unknown_fields_wrong_types_and_malformed_json_are_400_not_500()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        using var agent = api.CreateClient(tenant.AgentKey);
        await PbxFrames.PostAsync(bridge, tenant.PbxId, PbxFrames.Cdr("1700000300.1", "89991234567", "1001", "ANSWERED", "Inbound", new DateTime(2026, 3, 2, 12, 0, 0), 70, 60));

        foreach (var body in new[] { """{"orderId":"o","extra":1}""", """{"orderId":42}""", """{"orderId":""", "[]" })
        {
            using var response = await agent.PostAsync("api/calls/1700000300.1/order", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Unknown_call_is_404()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var agent = api.CreateClient(tenant.AgentKey);
        using var response = await agent.PostAsJsonAsync($"api/calls/{Guid.NewGuid()}/notes", new { note = "hello" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task A_10_MB_body_is_refused_with_413()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var agent = api.CreateClient(tenant.AgentKey);
        var body = "{\"note\":\"" + new string('x', 10 * 1024 * 1024) + "\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/calls/{Guid.NewGuid()}/notes") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        // Like a well-behaved client, ask first: the server refuses by Content-Length without reading 10 MB.
        request.Headers.ExpectContinue = true;
        using var response = await agent.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
