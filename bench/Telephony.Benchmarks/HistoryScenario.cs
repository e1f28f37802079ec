using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Telephony.Benchmarks;

/// <summary>
/// History and stats at 10 million calls (the chain holding 3 million): each request of <see cref="HistoryQuery"/>
/// through the real HTTP API with an agent key, p95 of sequential samples, beside the same request against the
/// 10,000-call data set in the same run; and how fast a week of calls streams out as CSV.
/// </summary>
internal static class HistoryScenario
{
    public const string CursorQuery = "logs: cursor page at depth 10,000";

    private const int WarmUp = 2;

    public static async Task RunAsync(BenchOptions options, ResultTable table)
    {
        var (large, small) = options.Quick ? (HistorySize.QuickLarge, HistorySize.QuickSmall) : (HistorySize.TenMillion, HistorySize.TenThousand);
        var smallData = await HistoryDataSet.EnsureAsync(options, small);
        var largeData = await HistoryDataSet.EnsureAsync(options, large);
        var baseline = await MeasureAsync(options, smallData);
        var figure = await MeasureAsync(options, largeData);
        var scale = $"{Short(large.TotalCalls)} calls";
        var baseScale = $"{Short(small.TotalCalls)}";
        foreach (var (name, p) in figure.Latencies)
        {
            var b = baseline.Latencies.GetValueOrDefault(name);
            var failed = figure.Failures.GetValueOrDefault(name) ?? baseline.Failures.GetValueOrDefault(name);
            table.Add(new ResultRow(
                $"History at {scale}: {name} (p95)",
                failed ?? $"{F(p.P95, "F1")} ms",
                b is null ? "-" : $"{F(b.P95, "F1")} ms at {baseScale}",
                b is null || failed is not null ? "-" : $"{F(p.P95 / b.P95, "F2")}×",
                "p95 ≤ 50 ms and ≤ 3×",
                failed is null && b is not null && p.P95 <= 50 && p.P95 <= 3 * b.P95));
        }

        table.Add(new ResultRow(
            $"History at {scale}: CSV export of a week ({figure.CsvRows:N0} rows)",
            $"{F(figure.CsvRowsPerSecond)} rows/s",
            $"{F(baseline.CsvRowsPerSecond)} rows/s at {baseScale} ({baseline.CsvRows:N0} rows)",
            "-",
            "≥ 50,000 rows/s",
            figure.CsvRowsPerSecond >= 50_000));

        var cost = await HistoryWriteCost.MeasureAsync(largeData, options.Quick ? 100 : 1_000, options.Quick ? 1 : 5);
        table.Add(new ResultRow(
            $"Write path at {scale}: {cost.Calls:N0} calls × 4 multi-row upserts (ring, answer, end, CDR) + legs, history triggers on",
            $"{F(cost.WithTriggersMs)} ms",
            $"{F(cost.WithoutTriggersMs)} ms with the triggers off",
            $"{F(cost.WithTriggersMs / cost.WithoutTriggersMs, "F2")}×",
            "info",
            null));
    }

    private sealed record Run(Dictionary<string, Percentiles> Latencies, Dictionary<string, string> Failures, double CsvRowsPerSecond, long CsvRows);

    private static async Task<Run> MeasureAsync(BenchOptions options, NpgsqlConnectionStringBuilder database)
    {
        // Migrations a reused data set has not seen yet run at this start, over millions of rows: allow them time.
        // The per-key rate limit is lifted: the samples are one client's sequential requests, not abuse.
        var clock = Stopwatch.StartNew();
        await using var api = await ApiProcess.StartAsync(
            options, ApiProcess.DatabaseUrl(database), readyWithin: TimeSpan.FromHours(1),
            environment: new Dictionary<string, string> { ["RateLimit__PermitsPerMinute"] = "1000000" });
        Console.WriteLine($"bench: API on {database.Database} ready after {clock.Elapsed.TotalSeconds:F1} s");
        await using var data = NpgsqlDataSource.Create(database.ConnectionString);
        using var agent = BenchFleet.Client(api.BaseUrl, await AgentKeyAsync(api.BaseUrl));
        agent.Timeout = TimeSpan.FromMinutes(10);

        var queries = (await HistoryQuery.ForAsync(data)).ToList();
        if (await CursorAtDepthAsync(agent, 10_000) is { } cursor)
        {
            queries.Insert(2, new HistoryQuery(CursorQuery, $"api/calls/logs?limit=100&cursor={Uri.EscapeDataString(cursor)}"));
        }

        var latencies = new Dictionary<string, Percentiles>(StringComparer.Ordinal);
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var query in queries)
        {
            var samples = new List<TimeSpan>(options.HistorySamples);
            for (var i = -WarmUp; i < options.HistorySamples && !failures.ContainsKey(query.Name); i++)
            {
                var sample = Stopwatch.StartNew();
                using var response = await agent.GetAsync(query.Path, HttpCompletionOption.ResponseContentRead);
                sample.Stop();
                if (!response.IsSuccessStatusCode)
                {
                    failures[query.Name] = $"HTTP {(int)response.StatusCode}";
                }
                else if (i >= 0)
                {
                    samples.Add(sample.Elapsed);
                }
            }

            latencies[query.Name] = Percentiles.Of(samples);
            Console.WriteLine($"bench:   {database.Database} {query.Name}: p50 {F(latencies[query.Name].P50, "F1")} / p95 {F(latencies[query.Name].P95, "F1")} ms {failures.GetValueOrDefault(query.Name)}");
        }

        var (rows, perSecond) = await CsvExportAsync(agent, options.Quick ? 1 : 3);
        Console.WriteLine($"bench:   {database.Database} CSV: {rows:N0} rows at {F(perSecond)} rows/s");
        return new Run(latencies, failures, perSecond, rows);
    }

    // Follows nextCursor with pages of 500 down to the depth (or the last page a smaller data set has).
    private static async Task<string?> CursorAtDepthAsync(HttpClient agent, int depth)
    {
        string? cursor = null;
        for (var seen = 0; seen < depth;)
        {
            var page = await agent.GetFromJsonAsync<JsonElement>(cursor is null ? "api/calls/logs?limit=500" : $"api/calls/logs?limit=500&cursor={Uri.EscapeDataString(cursor)}");
            if (!page.TryGetProperty("nextCursor", out var next) || next.ValueKind != JsonValueKind.String)
            {
                return cursor;
            }

            cursor = next.GetString();
            seen += page.GetProperty("items").GetArrayLength();
        }

        return cursor;
    }

    // The best of a few downloads: rows (lines after the header) per second from request to last byte.
    private static async Task<(long Rows, double PerSecond)> CsvExportAsync(HttpClient agent, int attempts)
    {
        long rows = 0;
        double best = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            for (var a = 0; a < attempts; a++)
            {
                var clock = Stopwatch.StartNew();
                using var response = await agent.GetAsync(HistoryQuery.CsvExport, HttpCompletionOption.ResponseHeadersRead);
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync();
                long lines = 0;
                int read;
                while ((read = await body.ReadAsync(buffer)) > 0)
                {
                    lines += buffer.AsSpan(0, read).Count((byte)'\n');
                }

                rows = lines - 1;
                best = Math.Max(best, rows / clock.Elapsed.TotalSeconds);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (rows, best);
    }

    private static async Task<string> AgentKeyAsync(Uri api)
    {
        using var admin = BenchFleet.Client(api, ApiProcess.AdminKey);
        using var response = await admin.PostAsJsonAsync($"api/admin/tenants/{HistoryDataSet.ChainTenant}/keys", new { role = "agent", name = "bench history" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    private static string Short(long calls) => calls >= 1_000_000 ? $"{calls / 1_000_000.0:0.#}M" : calls >= 1_000 ? $"{calls / 1_000.0:0.#}k" : calls.ToString(CultureInfo.InvariantCulture);

    private static string F(double value, string format = "F0") => value.ToString(format, CultureInfo.InvariantCulture);
}
