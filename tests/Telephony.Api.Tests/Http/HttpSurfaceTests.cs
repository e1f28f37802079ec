using System.Net;
using System.Text.Json;

namespace Telephony.Api.Tests.Http;

public sealed class HttpSurfaceTests(TelephonyApiFactory api)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cors_allows_only_the_configured_origins()
    {
        using var client = api.CreateAnonymousClient();
        foreach (var (origin, allowed) in new[] { (TelephonyApiFactory.AllowedOrigin, true), ("https://evil.example", false) })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "api/calls/logs");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "GET");
            preflight.Headers.Add("Access-Control-Request-Headers", "authorization");
            using var response = await client.SendAsync(preflight, Ct);
            Assert.Equal(allowed, response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) && values.Contains(origin));
        }
    }

    [Fact]
    public async Task Health_is_public_and_readiness_checks_the_database()
    {
        using var client = api.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health/ready", Ct)).StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_lists_the_endpoints()
    {
        using var client = api.CreateAnonymousClient();
        var document = JsonDocument.Parse(await client.GetStringAsync("openapi/v1.json", Ct)).RootElement;
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var expected in new[] { "/api/calls/logs", "/api/calls/dial", "/api/calls/{callId}/notes", "/api/calls/stats/{extension}", "/api/extensions/{number}/status", "/api/admin/tenants" })
        {
            Assert.Contains(expected, paths);
        }
    }

    [Fact]
    public async Task Unknown_call_id_and_sql_ish_input_are_404_or_400_never_500()
    {
        var tenant = await Telephony.TestSupport.TestTenant.CreateAsync(api.Database);
        using var client = api.CreateClient(tenant.AgentKey);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("api/calls/'%3B%20drop%20table%20call_logs%3B--", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/calls/logs?q=%27%20or%201%3D1--&extension=1%27", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("api/calls/logs?limit=-1", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("api/calls/logs?limit=100000000", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("api/calls/logs?limit=abc", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("api/calls/logs?from=2026-05-10&to=2026-05-01", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("api/calls/logs/phone/not-a-number", Ct)).StatusCode);
    }

    [Fact]
    public async Task Csv_export_streams_the_filtered_history_with_a_header()
    {
        var tenant = await Telephony.TestSupport.TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        await PbxFrames.PostAsync(bridge, tenant.PbxId,
            PbxFrames.Cdr("1900000000.1", "89991234567", "1001", "ANSWERED", "Inbound", new DateTime(2026, 6, 1, 10, 0, 0), 40, 30),
            PbxFrames.Cdr("1900000000.2", "=cmd|' /C calc'!A0", "1001", "NO ANSWER", "Inbound", new DateTime(2026, 6, 1, 11, 0, 0), 20, 0));
        using var client = api.CreateClient(tenant.AgentKey);
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/calls/logs?from=2026-06-01&to=2026-06-01");
        request.Headers.Accept.ParseAdd("text/csv");
        using var response = await client.SendAsync(request, Ct);

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync(Ct)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("id,pbxId,pbxCallId,direction", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.Contains("1900000000.1", StringComparison.Ordinal) && l.Contains("+79991234567", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("'=cmd", StringComparison.Ordinal));
    }
}
