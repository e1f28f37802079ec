using System.Text.Json;
using Microsoft.Playwright;
using Telephony.Core.Customers;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.Browser;

/// <summary>
/// axe-core on every view of the dashboard at desktop and phone size, and in the dark palette (issue 13 §3, "the page
/// for everyone"): each view is shown with real content from the simulator, then checked as it stands. There is no
/// queues view yet.
/// </summary>
public sealed class DashboardAccessibilityTests(TelephonyApiFactory api, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string OlgaName = "Olga Popova";

    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = DashboardPage.Timeout };

    [Theory]
    [InlineData("desktop", 1280, 900, ColorScheme.Light)]
    [InlineData("phone", 390, 844, ColorScheme.Light)]
    // The dashboard follows the system's dark setting, with a palette of its own.
    [InlineData("desktop, dark", 1280, 900, ColorScheme.Dark)]
    public async Task Every_view_passes_axe_without_serious_or_critical_violations(string screen, int width, int height, ColorScheme colorScheme)
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(api.Database);
        await new CustomerRepository(api.Database.DataSource).UpsertAsync(tenant.TenantId, new CustomerProfile(
            "c-olga", OlgaName, "+79160001234", "olga@example.com", "gold", [new CustomerOrder("o-42", DateTimeOffset.UtcNow.AddDays(-2), 31.90m)]), ct);
        await using var pbx = await SimulatedPbx.StartAsync(api, tenant);
        await using var dashboard = await DashboardPage.OpenAsync(browser, api, width, height, colorScheme);
        var page = dashboard.Page;
        var axe = new AccessibilityCheck(page);

        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync(Visible);
        await axe.CheckAsync($"the sign-in screen ({screen})");

        await dashboard.SignInAsync(tenant.AgentKey, "1001");
        await dashboard.ExpectPbxConnectedAsync();

        // A recorded call (for the history's player) and a missed one (for the callback queue), both over before the
        // pop-up's call rings.
        var recordedId = pbx.Pbx.StartInboundCall("89160007777", "1001", ringFor: TimeSpan.FromSeconds(2), talkFor: TimeSpan.FromSeconds(5), record: true);
        var missedId = pbx.Pbx.StartInboundCall("89160009999", "1002", ringFor: TimeSpan.FromSeconds(6), talkFor: null);
        using var client = api.CreateClient(tenant.AgentKey);
        await Eventually.GetAsync(
            client, $"api/calls/{recordedId}", c => c.TryGetProperty("recording", out var r) && r.ValueKind == JsonValueKind.Object && r.GetProperty("status").GetString() == "archived");
        await Assertions.Expect(dashboard.Callback(missedId)).ToBeVisibleAsync(new() { Timeout = 15_000 });

        // The board with a known customer's pop-up, then the pop-up with one of its forms open.
        var ringingId = pbx.Pbx.StartInboundCall("89160001234", "1001", ringFor: TimeSpan.FromSeconds(120), talkFor: null);
        var popup = dashboard.Popup(ringingId);
        await Assertions.Expect(popup.Locator(".popup-customer-name")).ToHaveTextAsync(OlgaName, new() { Timeout = DashboardPage.Timeout });
        await Assertions.Expect(dashboard.ActiveCall(ringingId)).ToBeVisibleAsync(Visible);
        await Assertions.Expect(page.Locator("#extensions [data-extension=\"1001\"]")).ToHaveAttributeAsync("data-status", "ringing", new() { Timeout = DashboardPage.Timeout });
        await axe.CheckAsync($"the board with a pop-up ({screen})");
        await popup.Locator(".popup-add-note").ClickAsync();
        await Assertions.Expect(popup.Locator(".popup-form-note")).ToBeVisibleAsync(Visible);
        await axe.CheckAsync($"a pop-up's note form ({screen})");

        // History, with the recorded call's details open: the recording player is checked too.
        await page.Locator("#history-search").FillAsync("9160007777");
        var row = dashboard.HistoryRow(recordedId);
        await Assertions.Expect(row).ToBeVisibleAsync(Visible);
        await Assertions.Expect(page.Locator("#history-rows tr")).ToHaveCountAsync(1, new() { Timeout = DashboardPage.Timeout });
        await row.Locator("button.history-details").ClickAsync();
        await page.WaitForFunctionAsync(
            "() => { const a = document.querySelector('#history-rows audio.recording'); return a && a.src && a.readyState >= 1 && a.duration > 0; }",
            null,
            new() { Timeout = 15_000 });
        await page.Locator("#history").ScrollIntoViewIfNeededAsync();
        await axe.CheckAsync($"history with a recorded call's details ({screen})");

        // Statistics of those calls (they reload a few seconds after a call ends), the hour chart also as a table.
        await Assertions.Expect(page.Locator("#stats-hour-chart rect").First).ToBeAttachedAsync(new() { Timeout = 20_000 });
        await page.Locator("#stats details.as-table summary").ClickAsync();
        await Assertions.Expect(page.Locator("#stats-hour-table tbody tr").First).ToBeVisibleAsync(Visible);
        await page.Locator("#stats").ScrollIntoViewIfNeededAsync();
        await axe.CheckAsync($"the statistics ({screen})");

        // The callback queue with the missed call waiting.
        await page.Locator("#callbacks").ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(dashboard.Callback(missedId)).ToBeVisibleAsync(Visible);
        await axe.CheckAsync($"the callback queue ({screen})");
        axe.AssertNoViolations();
        dashboard.AssertNoErrors();
    }
}
