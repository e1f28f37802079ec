using System.Data.Common;
using Dapper;
using Npgsql;

namespace Telephony.Core.Storage;

/// <summary>Builds the one <see cref="NpgsqlDataSource"/> from <c>DATABASE_URL</c> (a postgresql:// URI or an Npgsql string).</summary>
public static class TelephonyDataSource
{
    public static NpgsqlDataSource Create(string databaseUrl)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        return new NpgsqlDataSourceBuilder(WithStatementReuse(ToConnectionString(databaseUrl))).Build();
    }

    /// <summary>
    /// Connections whose commits do not wait for the disk (<c>synchronous_commit=off</c>), for writes the journal can
    /// rebuild: call-log rows, extension status, "applied" marks. A database crash loses at most the last moment of
    /// them, always a suffix (WAL order holds), so a frame whose effect was lost is also unmarked and replayed.
    /// The journal itself is written through <see cref="Create"/>: the bridge hears "accepted" only once it is on disk.
    /// </summary>
    public static RebuildableWrites CreateForRebuildableWrites(string databaseUrl)
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        var connection = new NpgsqlConnectionStringBuilder(WithStatementReuse(ToConnectionString(databaseUrl)));
        connection.Options = $"{connection.Options} -c synchronous_commit=off".Trim();
        return new RebuildableWrites(new NpgsqlDataSourceBuilder(connection.ConnectionString).Build());
    }

    /// <summary>
    /// Statements prepared once per connection and kept across pool checkouts, unless <c>DATABASE_URL</c> says otherwise.
    /// Measured at 1,000 frames/s: the pool's reset on every checkout (DISCARD ALL, 1,100 a second) threw away each
    /// connection's prepared statements and the plans PostgreSQL had cached for the history triggers' functions, so every
    /// query was parsed and planned again. Nothing here leaves session state behind (locks are per transaction).
    /// Behind a pooler in transaction mode, set <c>Max Auto Prepare=0</c> unless it tracks prepared statements.
    /// </summary>
    private static string WithStatementReuse(string connectionString)
    {
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(k => k.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        if (!given.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 100;
        }

        return builder.ConnectionString;
    }

    public static string ToConnectionString(string databaseUrl)
    {
        if (!databaseUrl.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            && !databaseUrl.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return databaseUrl;
        }

        var uri = new Uri(databaseUrl);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            builder[Uri.UnescapeDataString(kv[0])] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
        }

        return builder.ConnectionString;
    }
}
