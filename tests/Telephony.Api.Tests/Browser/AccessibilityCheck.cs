using System.Text.Json;
using Microsoft.Playwright;

namespace Telephony.Api.Tests.Browser;

/// <summary>
/// axe-core on the page as it stands (tools/Accessibility, installed by scripts/lib/accessibility-tools.sh; the tests
/// inject it, users are never served it). A missing axe fails the test with the command that installs it, never skips.
/// A test checks each view as it shows it, then asserts once, so one run reports every view's findings.
/// </summary>
internal sealed class AccessibilityCheck(IPage page)
{
    private readonly List<string> _failures = [];

    public static string AxeScriptPath { get; } = Find();

    /// <summary>
    /// Records the serious and critical violations on the page as it stands, and a heading that skips a level (axe rates
    /// that moderate; issue 13 §3 asks for it). Lesser findings go to the test output only.
    /// </summary>
    public async Task CheckAsync(string view)
    {
        var violations = await RunAsync();
        var failing = violations.Where(v => v.Impact is "serious" or "critical" || v.Id == "heading-order").ToList();
        var lesser = violations.Except(failing).ToList();
        if (lesser.Count > 0)
        {
            TestContext.Current.TestOutputHelper?.WriteLine($"axe's lesser findings on {view}:\n" + Describe(lesser));
        }

        if (failing.Count > 0)
        {
            _failures.Add($"{view}: {failing.Sum(v => v.Elements.Count)} element(s) in {failing.Count} rule(s)\n" + Describe(failing));
        }
    }

    /// <summary>Fails naming, for each view, the rules broken, each failing element and what axe says to change.</summary>
    public void AssertNoViolations() =>
        Assert.True(_failures.Count == 0, "axe found violations to fix:\n" + string.Join("\n", _failures));

    /// <summary>Every violation axe finds in the whole document, once the page has settled.</summary>
    private async Task<IReadOnlyList<Violation>> RunAsync()
    {
        if (!File.Exists(AxeScriptPath))
        {
            Assert.Fail($"{AxeScriptPath} is missing: run scripts/lib/accessibility-tools.sh (scripts/test runs it) to install tools/Accessibility.");
        }

        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.AddScriptTagAsync(new() { Path = AxeScriptPath });
        }

        // Colours are judged as they rest: a panel that is loading is dimmed and an entering pop-up fades in. So axe runs
        // once no panel loads and every animation that ends has ended (the ringing pulse never does, and is legible all
        // along), and runs again (twice at most) if live traffic started a load while it ran.
        var result = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const settled = async () => {
                const deadline = Date.now() + 10000;
                while (document.querySelector('[aria-busy="true"]') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
                await Promise.all(document.getAnimations()
                  .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
                  .map((a) => a.finished.catch(() => null)));
              };
              for (let attempt = 1; ; attempt++) {
                await settled();
                let loaded = false;
                const watch = new MutationObserver(() => { loaded = true; });
                watch.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['aria-busy'] });
                const { violations } = await axe.run(document, { resultTypes: ['violations'] });
                watch.disconnect();
                if (!loaded || attempt === 3) {
                  return violations.map((v) => ({
                    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                    nodes: v.nodes.map((n) => ({ target: n.target.flat().join(' >>> '), summary: n.failureSummary || '' })),
                  }));
                }
              }
            }
            """);
        return [.. result.EnumerateArray().Select(v => new Violation(
            v.GetProperty("id").GetString()!,
            v.GetProperty("impact").GetString() ?? "unknown",
            v.GetProperty("help").GetString()!,
            v.GetProperty("helpUrl").GetString()!,
            [.. v.GetProperty("nodes").EnumerateArray().Select(n => new Element(n.GetProperty("target").GetString()!, n.GetProperty("summary").GetString()!))]))];
    }

    private static string Describe(IEnumerable<Violation> violations) =>
        string.Join("\n", violations.Select(v =>
            $"- {v.Id} ({v.Impact}): {v.Help} — {v.HelpUrl}\n" +
            string.Join("\n", v.Elements.Select(e => $"    {e.Selector}\n      {e.Summary.ReplaceLineEndings("\n      ")}"))));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Telephony.slnx")))
            {
                return Path.Combine(dir.FullName, "tools", "Accessibility", "node_modules", "axe-core", "axe.min.js");
            }
        }

        throw new DirectoryNotFoundException("Telephony.slnx was not found above the test binaries, so tools/Accessibility cannot be found.");
    }

    /// <summary>One rule that failed: axe's id and impact (minor, moderate, serious, critical), and the elements it failed on.</summary>
    public sealed record Violation(string Id, string Impact, string Help, string HelpUrl, IReadOnlyList<Element> Elements);

    /// <summary>A failing element: its CSS selector, and axe's summary of what to fix (for contrast: both colours and the ratio).</summary>
    public sealed record Element(string Selector, string Summary);
}
