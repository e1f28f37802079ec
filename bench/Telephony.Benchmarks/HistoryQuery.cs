using System.Globalization;
using Npgsql;

namespace Telephony.Benchmarks;

/// <summary>
/// One history or stats request of design.md §4, as the dashboard would send it for the chain. The same list runs
/// against each data set; values that depend on the data (the busiest number, a customer, an order) are looked up
/// in it the same way, so each query asks the same question of both.
/// </summary>
internal sealed record HistoryQuery(string Name, string Path)
{
    public const string Extension = "1072";

    public static async Task<IReadOnlyList<HistoryQuery>> ForAsync(NpgsqlDataSource data)
    {
        var number = await ScalarAsync(data, "select external_e164 from call_logs where tenant_id = $1 and external_e164 is not null group by 1 order by count(*) desc, 1 limit 1");
        var customer = await ScalarAsync(data, "select customer_id from call_logs where tenant_id = $1 and customer_id is not null group by 1 order by count(*) desc, 1 limit 1");
        var order = await ScalarAsync(data, "select order_id from call_orders where tenant_id = $1 order by order_id limit 1");
        var last = HistoryDataSet.LastDay;
        var oneDay = Day(last.AddDays(-10));
        var month = $"from={Day(last.AddDays(-29))}&to={Day(last)}";
        var year = $"from={Day(last.AddDays(-364))}&to={Day(last)}";
        return
        [
            new("logs: first page", "api/calls/logs?limit=100"),
            new("logs: offset=10000", "api/calls/logs?limit=100&offset=10000"),
            new("logs: one day (from/to)", $"api/calls/logs?from={oneDay}&to={oneDay}"),
            new("logs: direction=outbound", "api/calls/logs?direction=outbound"),
            new("logs: status=missed", "api/calls/logs?status=missed"),
            new($"logs: extension={Extension}", $"api/calls/logs?extension={Extension}"),
            new("logs: phone= (busiest number)", $"api/calls/logs?phone={Uri.EscapeDataString(number)}"),
            new("logs/phone/{number}", $"api/calls/logs/phone/{Uri.EscapeDataString(number)}"),
            new("logs: customerId=", $"api/calls/logs?customerId={customer}"),
            new("logs: orderId=", $"api/calls/logs?orderId={order}"),
            new("logs: q= part of a number", $"api/calls/logs?q={number[5..10]}"),
            new("logs: q= customer name", "api/calls/logs?q=Petrov"),
            new("logs: q= word in notes", "api/calls/logs?q=allergy"),
            new("stats: 30 days", $"api/calls/stats?{month}"),
            new("stats: 30 days, groupBy=extension", $"api/calls/stats?{month}&groupBy=extension"),
            new("stats: 30 days, groupBy=day", $"api/calls/stats?{month}&groupBy=day"),
            new("stats: 30 days, groupBy=hour", $"api/calls/stats?{month}&groupBy=hour"),
            new("stats: a year", $"api/calls/stats?{year}"),
            new("stats: a year, groupBy=extension", $"api/calls/stats?{year}&groupBy=extension"),
            new("stats: a year, groupBy=day", $"api/calls/stats?{year}&groupBy=day"),
            new("stats: a year, groupBy=hour", $"api/calls/stats?{year}&groupBy=hour"),
            new($"stats/{Extension}: 30 days", $"api/calls/stats/{Extension}?{month}"),
            new($"stats/{Extension}: a year", $"api/calls/stats/{Extension}?{year}"),
            new("missed?open=true", "api/calls/missed?open=true"),

            // The 10,000-call chain has about 25 numbers waiting, so the default page of 100 is a quarter full there:
            // this one asks both data sets for a page they fill.
            new("missed?open=true&limit=20 (full page at both sizes)", "api/calls/missed?open=true&limit=20"),
        ];
    }

    /// <summary>A week of the chain's calls as CSV.</summary>
    public static string CsvExport => $"api/calls/logs?format=csv&from={Day(HistoryDataSet.LastDay.AddDays(-6))}&to={Day(HistoryDataSet.LastDay)}";

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<string> ScalarAsync(NpgsqlDataSource data, string sql)
    {
        await using var command = data.CreateCommand(sql);
        command.Parameters.AddWithValue(HistoryDataSet.ChainTenant);
        return (string?)await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"the data set has no answer to: {sql}");
    }
}
