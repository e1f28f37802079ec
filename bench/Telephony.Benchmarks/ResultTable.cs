using System.Globalization;
using System.Text;

namespace Telephony.Benchmarks;

/// <summary>One row of the bench table: a product figure beside its same-run baseline and its target.</summary>
internal sealed record ResultRow(string Scenario, string Figure, string Baseline, string Ratio, string Target, bool? Pass);

/// <summary>The table bench/run prints and writes to bench/results/.</summary>
internal sealed class ResultTable
{
    private readonly List<ResultRow> _rows = [];

    public void Add(ResultRow row)
    {
        _rows.Add(row);
        Console.WriteLine($"  {row.Scenario}: {row.Figure} (baseline {row.Baseline}, ratio {row.Ratio}, target {row.Target}) {Verdict(row.Pass)}");
    }

    public bool AllPass => _rows.All(r => r.Pass != false);

    public string ToMarkdown(string heading)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {heading}");
        text.AppendLine();
        text.AppendLine("| Scenario | Figure | Same-run baseline | Ratio | Target | Result |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in _rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Scenario} | {row.Figure} | {row.Baseline} | {row.Ratio} | {row.Target} | {Verdict(row.Pass)} |");
        }

        return text.ToString();
    }

    /// <summary>Writes the table to bench/results/ and says where; the exit code is 0 (targets are read from the table).</summary>
    public async Task<int> WriteAsync(BenchOptions options)
    {
        Directory.CreateDirectory(options.ResultsFolder);
        var suffix = (options.Only is { } only ? "-" + only : "") + (options.Quick ? "-quick" : "");
        var file = Path.Combine(options.ResultsFolder, $"{DateTime.UtcNow:yyyy-MM-dd-HHmm}{suffix}.md");
        var flags = (options.Quick ? "--quick " : "") + (options.Only is { } scenario ? $"--only {scenario} " : "");
        await File.WriteAllTextAsync(file, ToMarkdown($"bench/run {flags}— {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores"));
        Console.WriteLine($"bench: table written to {file}; {(AllPass ? "every target met" : "some targets not met")}");
        return 0;
    }

    private static string Verdict(bool? pass) => pass switch
    {
        true => "pass",
        false => "FAIL",
        null => "info",
    };
}
