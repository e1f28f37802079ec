using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Api.Hosting;

namespace Telephony.Api.Tests.Replicas;

/// <summary>
/// Issue 12 §1: of several replicas exactly one runs the journal replay; when it stops, another takes over within
/// seconds (an advisory lock in the shared database).
/// </summary>
public sealed class ReplicaLeadershipTests
{
    [Fact]
    public async Task Exactly_one_of_two_replicas_leads_and_the_other_takes_over_when_it_stops()
    {
        await using var database = new TestDatabase();
        await database.InitializeAsync();
        var ct = TestContext.Current.CancellationToken;
        var first = new ReplicaLeadership(database.DataSource, TimeProvider.System, NullLogger<ReplicaLeadership>.Instance);
        var second = new ReplicaLeadership(database.DataSource, TimeProvider.System, NullLogger<ReplicaLeadership>.Instance);
        await first.StartAsync(ct);
        await second.StartAsync(ct);
        try
        {
            Assert.True(first.IsLeader, "the replica that started first (and alone) leads");
            Assert.False(second.IsLeader);

            await first.StopAsync(ct);

            Assert.False(first.IsLeader);
            await Eventually.UntilAsync(() => second.IsLeader, TimeSpan.FromSeconds(15), "the second replica to take the lead");
        }
        finally
        {
            await second.StopAsync(ct);
            first.Dispose();
            second.Dispose();
        }
    }

    [Fact]
    public async Task A_leader_whose_database_session_is_killed_loses_the_lead_and_takes_it_again()
    {
        await using var database = new TestDatabase();
        await database.InitializeAsync();
        var ct = TestContext.Current.CancellationToken;
        var leader = new ReplicaLeadership(database.DataSource, TimeProvider.System, NullLogger<ReplicaLeadership>.Instance);
        await leader.StartAsync(ct);
        try
        {
            Assert.True(leader.IsLeader);

            // As when the database restarts or fails over: the session holding the lock is gone.
            await using (var admin = await database.DataSource.OpenConnectionAsync(ct))
            await using (var kill = new Npgsql.NpgsqlCommand("select pg_terminate_backend(pid) from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())", admin))
            {
                await kill.ExecuteNonQueryAsync(ct);
            }

            await Eventually.UntilAsync(() => !leader.IsLeader, TimeSpan.FromSeconds(15), "the leader to notice its session is gone");
            await Eventually.UntilAsync(() => leader.IsLeader, TimeSpan.FromSeconds(15), "the lead to be taken again on a new session");
        }
        finally
        {
            await leader.StopAsync(ct);
            leader.Dispose();
        }
    }
}
