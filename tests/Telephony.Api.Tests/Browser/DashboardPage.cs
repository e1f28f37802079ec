using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Telephony.Api.Tests.Browser;

/// <summary>
/// The dashboard in a fresh browser context (its own sessionStorage), with the page's uncaught errors recorded so a
/// test can prove the page never threw, and screenshots saved under the test output folder.
/// </summary>
public sealed class DashboardPage : IAsyncDisposable
{
    /// <summary>Auto-waiting assertions wait this long for what the page shows: a push plus a REST round trip.</summary>
    public const float Timeout = 10_000;

    public static readonly string ScreenshotFolder = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _errors = new();

    private DashboardPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.PageError += (_, error) => _errors.Enqueue(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Enqueue($"console: {message.Text}");
            }
        };
    }

    public IPage Page { get; }

    public ILocator Popups => Page.Locator("#popup .popup");

    public static async Task<DashboardPage> OpenAsync(
        BrowserFixture browser, TelephonyApiFactory api, int width = 1280, int height = 900, ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = api.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
            TimezoneId = "Europe/Moscow",
            ColorScheme = colorScheme,
        });
        var page = await context.NewPageAsync();
        var dashboard = new DashboardPage(context, page);

        // Without the generated SignalR client the board loads but never goes live: say so instead of timing out.
        var asset = await page.APIRequest.GetAsync("lib/signalr.min.js");
        if (!asset.Ok)
        {
            await dashboard.DisposeAsync();
            Assert.Fail($"GET /lib/signalr.min.js answered {asset.Status}: src/Telephony.Api/wwwroot/lib/signalr.min.js is missing. " +
                "Run `bash scripts/lib/web-assets.sh` (scripts/test runs it before the tests) and rebuild.");
        }

        await page.GotoAsync("/");
        return dashboard;
    }

    /// <summary>Signs in through the form and waits for the board to show with the hub connected.</summary>
    public async Task SignInAsync(string agentKey, string? extension)
    {
        await Assertions.Expect(Page.Locator("#signin")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Page.Locator("#agent-key").FillAsync(agentKey);
        await Page.Locator("#my-extension").FillAsync(extension ?? "");
        await Page.Locator("#signin-submit").ClickAsync();
        await Assertions.Expect(Page.Locator("#board")).ToBeVisibleAsync(new() { Timeout = Timeout });
        await Assertions.Expect(Page.Locator("#signin")).ToBeHiddenAsync(new() { Timeout = Timeout });
        await Assertions.Expect(Page.Locator("#live-status")).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = Timeout });
    }

    /// <summary>Waits until the PBX link badge shows the bridge connected.</summary>
    public Task ExpectPbxConnectedAsync() =>
        Assertions.Expect(Page.Locator("#pbx-status")).ToHaveAttributeAsync("data-connected", "true", new() { Timeout = 20_000 });

    public ILocator Popup(string pbxCallId) => Page.Locator($"#popup .popup[data-call-id=\"{pbxCallId}\"]");

    public ILocator ActiveCall(string pbxCallId) => Page.Locator($"#active-calls [data-call-id=\"{pbxCallId}\"]");

    public ILocator HistoryRow(string pbxCallId) => Page.Locator($"#history-rows tr[data-call-id=\"{pbxCallId}\"]");

    public ILocator Callback(string pbxCallId) => Page.Locator($"#callback-rows [data-call-id=\"{pbxCallId}\"]");

    /// <summary>Saves a PNG under the test output's screenshots folder: the element only, or the viewport.</summary>
    public async Task<string> ScreenshotAsync(string name, ILocator? element = null, bool fullPage = false)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        // Park the pointer off the content (no hover highlight in the picture) and finish entry animations.
        await Page.Mouse.MoveAsync(0, 0);
        if (element is null)
        {
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage, Animations = ScreenshotAnimations.Disabled });
        }
        else
        {
            await element.ScreenshotAsync(new LocatorScreenshotOptions { Path = path, Animations = ScreenshotAnimations.Disabled });
        }

        Assert.True(new FileInfo(path).Length > 0, $"{path} is empty");
        return path;
    }

    /// <summary>Fails when the page threw or logged an error (a failed request, a broken script).</summary>
    public void AssertNoErrors() => Assert.True(_errors.IsEmpty, "The page reported errors:\n" + string.Join("\n", _errors));

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
