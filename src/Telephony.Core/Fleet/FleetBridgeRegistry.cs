using Dapper;
using Npgsql;

namespace Telephony.Core.Fleet;

/// <summary>
/// The fleet bridges alive now (issue 11 §3): each announces itself every few seconds and learns who else did within
/// the presence window. Lease holders alone cannot tell a bridge that a newcomer holding nothing is there to share.
/// </summary>
public sealed class FleetBridgeRegistry(NpgsqlDataSource dataSource)
{
    // Rows of bridges gone this long are deleted by the next announcement: bridge ids of restarted processes differ.
    private static readonly TimeSpan Forgotten = TimeSpan.FromDays(1);

    /// <summary>Records <paramref name="bridgeId"/> as alive now; returns every bridge seen within <paramref name="window"/>, itself included.</summary>
    public async Task<IReadOnlyList<string>> AnnounceAsync(string bridgeId, TimeSpan window, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into fleet_bridges (bridge_id, seen_at) values (@bridgeId, now())
            on conflict (bridge_id) do update set seen_at = excluded.seen_at;
            delete from fleet_bridges where seen_at < now() - @forgotten;
            """,
            new { bridgeId, forgotten = Forgotten }, transaction, cancellationToken: cancellationToken));
        var alive = (await connection.QueryAsync<string>(new CommandDefinition(
            "select bridge_id from fleet_bridges where seen_at > now() - @window order by bridge_id",
            new { window }, transaction, cancellationToken: cancellationToken))).AsList();
        await transaction.CommitAsync(cancellationToken);
        return alive;
    }
}
