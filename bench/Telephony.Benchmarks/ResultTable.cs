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

    private static string Verdict(bool? pass) => pass switch
    {
        true => "pass",
        false => "FAIL",
        null => "info",
    };
}
