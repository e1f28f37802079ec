using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Telephony.Core.Customers;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.Browser;

/// <summary>
/// The dashboard in a real Chromium against the whole API, fed by the PBX simulator through a real bridge: what an
/// agent sees and clicks. Every test has its own tenant, simulator and bridge; they share one browser.
/// </summary>
public sealed class DashboardTests(TelephonyApiFactory api, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string OlgaPhone = "+79160001234";
    private const string OlgaName = "Olga Popova";

    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = DashboardPage.Timeout };
    private static readonly LocatorAssertionsToHaveCountOptions Count = new() { Timeout = 15_000 };
    private static readonly LocatorAssertionsToHaveTextOptions Text = new() { Timeout = DashboardPage.Timeout };
    private static readonly LocatorAssertionsToContainTextOptions Contains = new() { Timeout = DashboardPage.Timeout };
    private static readonly LocatorAssertionsToHaveAttributeOptions Attribute = new() { Timeout = DashboardPage.Timeout };

    [Fact]
    public async Task Signing_in_shows_the_board_with_the_pbx_link_up_and_the_pbx_extensions()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        await using var pbx = await SimulatedPbx.StartAsync(api, tenant);
        await using var dashboard = await DashboardPage.OpenAsync(browser, api);
        var page = dashboard.Page;

        await dashboard.SignInAsync(tenant.AgentKey, "1001");

        await Assertions.Expect(page.Locator("#me-extension")).ToHaveTextAsync("Ext. 1001", Text);
        await dashboard.ExpectPbxConnectedAsync();
        await Assertions.Expect(page.Locator("#pbx-status")).ToContainTextAsync("connected", Contains);
        await Assertions.Expect(page.Locator("#active-empty")).ToBeVisibleAsync(Visible);
        // The bridge syncs the PBX's extension list when it connects, so the board knows every phone before it rings.
        var extensions = page.Locator("#extensions [data-extension]");
        await Assertions.Expect(extensions).ToHaveCountAsync(5, Count);
        Assert.Equal(["1001", "1002", "1003", "1004", "1005"], await extensions.EvaluateAllAsync<string[]>("xs => xs.map(x => x.dataset.extension)"));
        await Assertions.Expect(page.Locator("#extensions [data-extension=\"1001\"]")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmine\b"), new() { Timeout = DashboardPage.Timeout });
        await Assertions.Expect(page.Locator("#extensions [data-extension=\"1003\"]")).ToHaveAttributeAsync("data-status", "idle", Attribute);
        await Assertions.Expect(page.Locator("#extensions-empty")).ToBeHiddenAsync(new() { Timeout = DashboardPage.Timeout });
        dashboard.AssertNoErrors();
    }

    [Fact]
    public async Task A_known_customers_call_pops_up_with_their_name_clears_once_answered_and_lands_in_history()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(api.Database);
        await new CustomerRepository(api.Database.DataSource).UpsertAsync(tenant.TenantId, new CustomerProfile(
            "c-olga", OlgaName, OlgaPhone, "olga@example.com", "gold", [new CustomerOrder("o-42", DateTimeOffset.UtcNow.AddDays(-2), 31.90m)]), ct);
        await using var pbx = await SimulatedPbx.StartAsync(api, tenant);
        // The agent at 1001, and a supervisor without an extension (pop-ups for every call) in another tab.
        await using var agent = await DashboardPage.OpenAsync(browser, api);
        await using var supervisor = await DashboardPage.OpenAsync(browser, api);
        await agent.SignInAsync(tenant.AgentKey, "1001");
        await supervisor.SignInAsync(tenant.AgentKey, null);
        await agent.ExpectPbxConnectedAsync();
        await supervisor.ExpectPbxConnectedAsync();

        var callId = pbx.Pbx.StartInboundCall("89160001234", "1001", ringFor: TimeSpan.FromSeconds(20), talkFor: TimeSpan.FromSeconds(20));

        var popup = agent.Popup(callId);
        await Assertions.Expect(popup.Locator(".popup-customer-name")).ToHaveTextAsync(OlgaName, new() { Timeout = 5_000 });
        await Assertions.Expect(supervisor.Popup(callId).Locator(".popup-customer-name")).ToHaveTextAsync(OlgaName, Text);
        await Assertions.Expect(popup.Locator(".popup-caller")).ToHaveTextAsync(OlgaPhone, Text);
        await Assertions.Expect(popup).ToContainTextAsync("#o-42", Contains);
        await Assertions.Expect(popup.Locator(".popup-link-customer")).ToBeVisibleAsync(Visible);
        await Assertions.Expect(popup.Locator(".popup-new-order")).ToBeVisibleAsync(Visible);
        await Assertions.Expect(popup.Locator(".popup-add-note")).ToBeVisibleAsync(Visible);
        await Assertions.Expect(agent.ActiveCall(callId)).ToContainTextAsync(OlgaName, Contains);
        await agent.ScreenshotAsync("popup", popup);
        await agent.ScreenshotAsync("board");

        // Answered at 1001: the pop-up leaves every other screen at once; the agent who answered keeps theirs
        // (to link an order or add a note while talking) until the call ends.
        await Assertions.Expect(agent.ActiveCall(callId)).ToHaveAttributeAsync("data-status", "answered", Attribute);
        await Assertions.Expect(supervisor.Popups).ToHaveCountAsync(0, Count);
        await Assertions.Expect(supervisor.ActiveCall(callId)).ToHaveAttributeAsync("data-status", "answered", Attribute);
        await Assertions.Expect(popup.Locator(".popup-state-text")).ToHaveTextAsync("Answered by you", Text);
        await Assertions.Expect(agent.Popups).ToHaveCountAsync(0, Count);
        await Assertions.Expect(agent.ActiveCall(callId)).ToHaveCountAsync(0, Count);

        await agent.Page.Locator("#history-search").FillAsync("9160001234");
        var row = agent.HistoryRow(callId);
        await Assertions.Expect(row).ToBeVisibleAsync(Visible);
        await Assertions.Expect(row).ToContainTextAsync("Answered", Contains);
        await Assertions.Expect(row).ToContainTextAsync(OlgaName, Contains);
        await Assertions.Expect(row.Locator($"button.dial[data-number=\"{OlgaPhone}\"]")).ToBeVisibleAsync(Visible);
        await Assertions.Expect(agent.Page.Locator("#history-rows tr")).ToHaveCountAsync(1, Count);
        await agent.ScreenshotAsync("history", agent.Page.Locator("#history"));

        // The statistics reload a few seconds after a call ends.
        await Assertions.Expect(agent.Page.Locator("#stats-tiles")).ToContainTextAsync("1 of 1 calls", new() { Timeout = 20_000 });
        await Assertions.Expect(agent.Page.Locator("#stats-hour-chart rect").First).ToBeAttachedAsync(new() { Timeout = DashboardPage.Timeout });
        await agent.ScreenshotAsync("stats", agent.Page.Locator("#stats"));
        agent.AssertNoErrors();
        supervisor.AssertNoErrors();
    }

    [Fact]
    public async Task Click_to_call_from_history_rings_the_pbx_from_my_extension_and_the_board_hangs_it_up()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(api.Database);
        // Yesterday's call from a customer, known to the service from its CDR alone.
        using (var bridgeClient = api.CreateClient(tenant.BridgeKey))
        {
            var yesterday = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddDays(-1), TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow")).DateTime;
            await PbxFrames.PostAsync(bridgeClient, tenant.PbxId, PbxFrames.Cdr("1690000000.7", "89160005555", "1002", "ANSWERED", "Inbound", yesterday, 70, 60));
        }

        await using var pbx = await SimulatedPbx.StartAsync(api, tenant);
        await using var dashboard = await DashboardPage.OpenAsync(browser, api);
        var page = dashboard.Page;
        await dashboard.SignInAsync(tenant.AgentKey, "1001");
        await dashboard.ExpectPbxConnectedAsync();

        var dial = dashboard.HistoryRow("1690000000.7").Locator("button.dial[data-number=\"+79160005555\"]");
        await Assertions.Expect(dial).ToBeVisibleAsync(Visible);
        await dial.ClickAsync();

        // My extension is known, so no dialog: the API queues call/dial for the bridge, which runs it on the PBX.
        await Assertions.Expect(page.Locator("#dial-dialog")).Not.ToBeVisibleAsync(new() { Timeout = DashboardPage.Timeout });
        await Assertions.Expect(page.Locator("#toasts")).ToContainTextAsync("Calling +79160005555 from 1001", Contains);
        using var client = api.CreateClient(tenant.AgentKey);
        var active = await PollAsync(client, "api/calls/active", calls => FindCall(calls, "+79160005555") is not null);
        var call = FindCall(active, "+79160005555")!.Value;
        var callId = call.GetProperty("pbxCallId").GetString()!;
        Assert.Equal("outbound", call.GetProperty("direction").GetString());
        Assert.Contains("1001", new[] { call.GetProperty("from").GetString(), call.GetProperty("extension").GetString() });

        var boardRow = dashboard.ActiveCall(callId);
        await Assertions.Expect(boardRow).ToBeVisibleAsync(Visible);
        await Assertions.Expect(boardRow).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmine\b"), new() { Timeout = DashboardPage.Timeout });
        await Assertions.Expect(boardRow).ToContainTextAsync("+79160005555", Contains);

        await boardRow.Locator("button.hangup").ClickAsync();
        await Assertions.Expect(page.Locator("#toasts")).ToContainTextAsync("Hang-up sent", Contains);
        await Assertions.Expect(boardRow).ToHaveCountAsync(0, Count);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(15));
        await pbx.Pbx.WhenCallCompletedAsync(callId, cts.Token);
        var simulated = Assert.Single(pbx.Pbx.Calls, c => c.CallId == callId);
        Assert.Equal("outbound", simulated.Direction);
        Assert.Equal("1001", simulated.From);
        Assert.EndsWith("9160005555", simulated.To, StringComparison.Ordinal);
        dashboard.AssertNoErrors();
    }

    [Fact]
    public async Task A_missed_call_waits_in_the_callback_queue_until_it_is_called_back()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(api.Database);
        await using var pbx = await SimulatedPbx.StartAsync(api, tenant);
        await using var dashboard = await DashboardPage.OpenAsync(browser, api);
        var page = dashboard.Page;
        await dashboard.SignInAsync(tenant.AgentKey, "1001");
        await dashboard.ExpectPbxConnectedAsync();
        await Assertions.Expect(page.Locator("#callbacks-empty")).ToBeVisibleAsync(Visible);

        var missedId = pbx.Pbx.StartInboundCall("89160009999", "1002", ringFor: TimeSpan.FromSeconds(6), talkFor: null);

        var waiting = dashboard.Callback(missedId);
        await Assertions.Expect(waiting).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(waiting.Locator("button.dial")).ToHaveAttributeAsync("data-number", "+79160009999", Attribute);
        await Assertions.Expect(waiting).ToContainTextAsync("Unknown caller", Contains);
        await Assertions.Expect(waiting).ToContainTextAsync("1002", Contains);
        await Assertions.Expect(page.Locator("#callback-count")).ToHaveTextAsync("1", Text);
        await dashboard.ScreenshotAsync("callbacks", page.Locator("#callbacks"));

        await waiting.Locator(".callback-call").ClickAsync();
        await Assertions.Expect(page.Locator("#toasts")).ToContainTextAsync("Calling +79160009999 from 1001", Contains);

        // The simulator rings 1001, then the customer, who picks up after a few seconds.
        using var client = api.CreateClient(tenant.AgentKey);
        var active = await PollAsync(client, "api/calls/active",
            calls => FindCall(calls, "+79160009999") is { } c && c.GetProperty("status").GetString() == "answered", TimeSpan.FromSeconds(30));
        var callbackId = FindCall(active, "+79160009999")!.Value.GetProperty("pbxCallId").GetString()!;
        Assert.NotEqual(missedId, callbackId);
        // Answered is what takes the number off the queue; hang up rather than wait out the conversation.
        using (var hangup = await client.PostAsync(new Uri($"api/calls/hangup/{Uri.EscapeDataString(callbackId)}", UriKind.Relative), null, ct))
        {
            Assert.True(hangup.IsSuccessStatusCode, $"hangup answered {(int)hangup.StatusCode}: {await hangup.Content.ReadAsStringAsync(ct)}");
        }

        await Assertions.Expect(waiting).ToHaveCountAsync(0, Count);
        await Assertions.Expect(page.Locator("#callbacks-empty")).ToBeVisibleAsync(Visible);
        await Assertions.Expect(page.Locator("#callback-count")).ToHaveTextAsync("0", Text);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(15));
        await pbx.Pbx.WhenCallCompletedAsync(callbackId, cts.Token);
        var simulated = Assert.Single(pbx.Pbx.Calls, c => c.CallId == callbackId);
        Assert.Equal(("outbound", "answered", "1001"), (simulated.Direction, simulated.Outcome, simulated.From));
        dashboard.AssertNoErrors();
    }

    [Fact]
    public async Task A_recorded_calls_detail_in_history_plays_its_recording()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        await using var pbx = await SimulatedPbx.StartAsync(api, tenant);
        await using var agent = await DashboardPage.OpenAsync(browser, api);
        await agent.SignInAsync(tenant.AgentKey, "1001");
        await agent.ExpectPbxConnectedAsync();

        var callId = pbx.Pbx.StartInboundCall("89160007777", "1001", ringFor: TimeSpan.FromSeconds(2), talkFor: TimeSpan.FromSeconds(5), record: true);
        using var client = api.CreateClient(tenant.AgentKey);
        await Eventually.GetAsync(
            client, $"api/calls/{callId}", c => c.TryGetProperty("recording", out var r) && r.ValueKind == JsonValueKind.Object && r.GetProperty("status").GetString() == "archived");

        await agent.Page.Locator("#history-search").FillAsync("9160007777");
        var row = agent.HistoryRow(callId);
        await Assertions.Expect(row).ToBeVisibleAsync(Visible);
        await row.Locator("button.history-details").ClickAsync();
        var audio = agent.Page.Locator("#history-rows audio.recording");
        await Assertions.Expect(audio).ToBeVisibleAsync(Visible);

        // The element has loaded the archived file and knows how long it is: the browser can play it.
        await agent.Page.WaitForFunctionAsync(
            "() => { const a = document.querySelector('#history-rows audio.recording'); return a && a.src && a.readyState >= 1 && a.duration > 0; }",
            null,
            new() { Timeout = 15_000 });
        var duration = await audio.EvaluateAsync<double>("a => a.duration");
        Assert.InRange(duration, 0.5, 10);
        await agent.ScreenshotAsync("history-recording", agent.Page.Locator("#history"));
        agent.AssertNoErrors();
    }

    [Fact]
    public async Task The_board_and_a_pop_up_fit_a_phone_screen()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(api.Database);
        await new CustomerRepository(api.Database.DataSource).UpsertAsync(tenant.TenantId, new CustomerProfile(
            "c-olga", OlgaName, OlgaPhone, null, null, []), ct);
        await using var pbx = await SimulatedPbx.StartAsync(api, tenant);
        await using var dashboard = await DashboardPage.OpenAsync(browser, api, width: 390, height: 844);
        var page = dashboard.Page;
        await dashboard.SignInAsync(tenant.AgentKey, "1001");
        await dashboard.ExpectPbxConnectedAsync();

        var callId = pbx.Pbx.StartInboundCall("89160001234", "1001", ringFor: TimeSpan.FromSeconds(120), talkFor: null);

        var popup = dashboard.Popup(callId);
        await Assertions.Expect(popup.Locator(".popup-customer-name")).ToHaveTextAsync(OlgaName, new() { Timeout = 5_000 });
        await Assertions.Expect(popup.Locator(".popup-dismiss")).ToBeInViewportAsync(new() { Timeout = DashboardPage.Timeout });
        await Assertions.Expect(dashboard.ActiveCall(callId)).ToBeVisibleAsync(Visible);
        await Assertions.Expect(page.Locator("#extensions [data-extension=\"1001\"]")).ToHaveAttributeAsync("data-status", "ringing", Attribute);
        await dashboard.ScreenshotAsync("phone-board");
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"The page scrolls sideways by {overflow}px on a 390px wide phone.");

        // Dismissing hides the pop-up on this screen only; the call keeps ringing on the board.
        await popup.Locator(".popup-dismiss").ClickAsync();
        await Assertions.Expect(dashboard.Popups).ToHaveCountAsync(0, Count);
        await Assertions.Expect(dashboard.ActiveCall(callId)).ToHaveAttributeAsync("data-status", "ringing", Attribute);
        dashboard.AssertNoErrors();
    }

    /// <summary>
    /// Reads a resource until it satisfies a condition, gently: the page shares the agent key, and the API limits
    /// requests per key.
    /// </summary>
    private static async Task<JsonElement> PollAsync(HttpClient client, string url, Func<JsonElement, bool> condition, TimeSpan? timeout = null)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout ?? TimeSpan.FromSeconds(20));
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        JsonElement last = default;
        try
        {
            do
            {
                last = await client.GetFromJsonAsync<JsonElement>(url, cts.Token);
                if (condition(last))
                {
                    return last;
                }
            }
            while (await tick.WaitForNextTickAsync(cts.Token));
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
        }

        throw new TimeoutException($"{url} never met the condition; last: {last}");
    }

    /// <summary>The active (or logged) call with this external number, if any.</summary>
    private static JsonElement? FindCall(JsonElement calls, string externalNumber)
    {
        foreach (var call in calls.EnumerateArray())
        {
            if (call.GetProperty("externalNumber").GetString() == externalNumber)
            {
                return call;
            }
        }

        return null;
    }
}
