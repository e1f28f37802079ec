using System.Diagnostics;
using Npgsql;

namespace Telephony.Benchmarks;

/// <summary>Reads call_logs back: every call sent is there once, ended, with the outcome it was sent with.</summary>
internal static class CallLogCheck
{
    public static async Task<(int Calls, int LoggedRight, string? FirstProblem)> WaitForAsync(
        NpgsqlDataSource database, IReadOnlyList<PbxTraffic> traffic, TimeSpan timeout)
    {
        var calls = traffic.Sum(t => t.Expected.Count);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var (right, problem) = await CompareAsync(database, traffic);
            if ((right == calls && problem is null) || clock.Elapsed > timeout)
            {
                return (calls, right, problem);
            }

            await Task.Delay(500);
        }
    }

    private static async Task<(int Right, string? Problem)> CompareAsync(NpgsqlDataSource database, IReadOnlyList<PbxTraffic> traffic)
    {
        var right = 0;
        string? problem = null;
        foreach (var pbx in traffic.GroupBy(t => (t.Pbx.TenantId, t.Pbx.PbxId)))
        {
            var logged = new Dictionary<string, (string Status, string? Outcome, int Count)>(StringComparer.Ordinal);
            await using var command = database.CreateCommand(
                """
                select pbx_call_id, max(status), max(outcome), count(*) from call_logs
                where tenant_id = $1 and pbx_id = $2 and split_part(pbx_call_id, '.', 2) like $3
                group by pbx_call_id
                """);
            command.Parameters.AddWithValue(pbx.Key.TenantId);
            command.Parameters.AddWithValue(pbx.Key.PbxId);
            command.Parameters.AddWithValue(pbx.First().Tag + "%");
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    logged[reader.GetString(0)] = (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), (int)reader.GetInt64(3));
                }
            }

            var expected = pbx.SelectMany(t => t.Expected).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
            foreach (var (callId, outcome) in expected)
            {
                if (logged.TryGetValue(callId, out var row) && row.Count == 1 && row.Status == "ended" && row.Outcome == outcome)
                {
                    right++;
                }
                else
                {
                    problem ??= $"{pbx.Key.TenantId}/{pbx.Key.PbxId} {callId}: expected {outcome}, logged {(logged.TryGetValue(callId, out var r) ? $"{r.Count}× {r.Status} {r.Outcome}" : "nothing")}";
                }
            }

            problem ??= logged.Keys.FirstOrDefault(k => !expected.ContainsKey(k)) is { } extra ? $"{pbx.Key.TenantId}/{pbx.Key.PbxId} {extra}: logged but never sent" : null;
        }

        return (right, problem);
    }
}
