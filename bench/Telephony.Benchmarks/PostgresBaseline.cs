using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Telephony.Benchmarks;

/// <summary>PostgreSQL's own rate on this machine, in the same run: pgbench, 4 clients, one-row insert transactions.</summary>
internal static partial class PostgresBaseline
{
    public static async Task<double> OneRowTransactionsPerSecondAsync(string pgbench, NpgsqlConnectionStringBuilder database, int seconds)
    {
        await using (var data = NpgsqlDataSource.Create(database.ConnectionString))
        {
            await using var create = data.CreateCommand("create table if not exists bench_baseline (id bigserial primary key, tenant_id text not null, payload text not null)");
            await create.ExecuteNonQueryAsync();
        }

        var script = Path.Combine(Path.GetTempPath(), $"bench-baseline-{Environment.ProcessId}.sql");
        await File.WriteAllTextAsync(script, "insert into bench_baseline (tenant_id, payload) values ('bench', repeat('x', 400));\n");
        try
        {
            var start = new ProcessStartInfo(pgbench, [
                "-n", "-c", "4", "-j", "2", "-T", seconds.ToString(CultureInfo.InvariantCulture), "-f", script,
                "-h", database.Host!, "-p", database.Port.ToString(CultureInfo.InvariantCulture), "-U", database.Username!, database.Database!])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start) ?? throw new InvalidOperationException("pgbench did not start");
            var output = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            var match = Tps().Match(output);
            return match.Success
                ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
                : throw new InvalidOperationException($"pgbench gave no tps: {output}{errors}");
        }
        finally
        {
            File.Delete(script);
        }
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();
}
