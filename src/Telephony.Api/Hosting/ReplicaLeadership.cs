using Npgsql;

namespace Telephony.Api.Hosting;

/// <summary>
/// Which API replica runs the cluster's background sweeps (the journal replay): the one holding a PostgreSQL advisory
/// lock on a connection it keeps open. A replica that dies drops its connection, so the lock frees and another
/// replica's next attempt (every few seconds) takes it over. One process alone is always the leader.
/// </summary>
/// <remarks>
/// Advisory locks belong to a database session, and the data source does not reset sessions on return to its pool
/// (NoResetOnClose), so the lock's connection is never handed back while the lock is held: it is unlocked first, or it
/// is broken and discarded.
/// </remarks>
internal sealed partial class ReplicaLeadership(NpgsqlDataSource dataSource, TimeProvider time, ILogger<ReplicaLeadership> logger) : BackgroundService
{
    // "TELEPHON" in ASCII: one key for the whole service, in the database the replicas share.
    private const long LockKey = 0x54454C4550484F4E;
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(5);

    private NpgsqlConnection? _held;
    private volatile bool _isLeader;

    /// <summary>Whether this replica runs the sweeps now.</summary>
    public bool IsLeader => _isLeader;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // A first attempt before the sweeps start, so one process alone leads from its first pass.
        await TryLeadAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // The loop has ended when this returns, so the lock's connection is no longer in use.
        await base.StopAsync(cancellationToken);
        if (_held is not { } held)
        {
            return;
        }

        _isLeader = false;
        _held = null;
        try
        {
            await using var unlock = new NpgsqlCommand("select pg_advisory_unlock($1)", held) { Parameters = { new() { Value = LockKey } } };
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException)
        {
            // A broken session is not handed back to the pool: it ends, and its lock with it.
        }
        finally
        {
            await DiscardAsync(held);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckEvery, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            // Not cancelled by the stop: a cancelled command can leave the lock's connection mid-message for StopAsync.
            await TryLeadAsync(CancellationToken.None);
        }
    }

    private async Task TryLeadAsync(CancellationToken cancellationToken)
    {
        NpgsqlConnection? connection = _held;
        try
        {
            if (connection is not null)
            {
                // Still our session? A broken connection throws here, and whoever asks next takes the lock.
                await using var ping = new NpgsqlCommand("select 1", connection);
                await ping.ExecuteScalarAsync(cancellationToken);
                return;
            }

            connection = await dataSource.OpenConnectionAsync(cancellationToken);

            // Should this process vanish without closing its socket (a partition, not a crash), the server probes the
            // session's socket after 10 s of silence and ends the session, and the lock with it, about 25 s later: not
            // after the operating system's default two hours. Harmless on the pooled connection if the lock is not ours.
            await using var probe = new NpgsqlCommand("set tcp_keepalives_idle = 10; set tcp_keepalives_interval = 5; set tcp_keepalives_count = 3", connection);
            await probe.ExecuteNonQueryAsync(cancellationToken);
            await using var take = new NpgsqlCommand("select pg_try_advisory_lock($1)", connection) { Parameters = { new() { Value = LockKey } } };
            if (await take.ExecuteScalarAsync(cancellationToken) is not true)
            {
                await connection.DisposeAsync();
                return;
            }

            _held = connection;
            _isLeader = true;
            Log.Leading(logger);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException or OperationCanceledException or IOException)
        {
            if (_isLeader)
            {
                Log.LeadershipLost(logger, ex.GetType().Name);
            }

            _isLeader = false;
            _held = null;
            await DiscardAsync(connection);
        }
    }

    // Closing a connection whose session may hold the lock: Npgsql drops a broken one rather than pool it.
    private static async Task DiscardAsync(NpgsqlConnection? connection)
    {
        if (connection is null)
        {
            return;
        }

        try
        {
            await connection.DisposeAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException)
        {
            // Already gone: so is its lock.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "This replica runs the cluster's background sweeps (journal replay)")]
        public static partial void Leading(ILogger logger);

        [LoggerMessage(2, LogLevel.Warning, "This replica lost its database session ({Kind}) and with it the lead of the background sweeps; another replica takes it")]
        public static partial void LeadershipLost(ILogger logger, string kind);
    }
}
