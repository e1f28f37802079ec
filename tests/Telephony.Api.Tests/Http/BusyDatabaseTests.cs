using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Telephony.TestSupport;

namespace Telephony.Api.Tests.Http;

public sealed class BusyDatabaseTests(ImpatientDatabaseApiFactory api) : IClassFixture<ImpatientDatabaseApiFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_batch_the_database_cannot_take_in_time_gets_503_with_retry_after_and_the_same_batch_posted_again_is_journaled_once()
    {
        var tenant = await TestTenant.CreateAsync(api.Database);
        using var bridge = api.CreateClient(tenant.BridgeKey);
        var body = PbxFrames.Batch(DateTimeOffset.UtcNow, PbxFrames.Ringing("1960000000.1", "89990000001", "1001"), PbxFrames.Ringing("1960000000.2", "89990000002", "1002"));

        // Another session holds the batch table: the append waits, and the API's one-second command timeout ends it.
        await using (var blocker = await api.Database.DataSource.OpenConnectionAsync(Ct))
        {
            await using var transaction = await blocker.BeginTransactionAsync(Ct);
            await new NpgsqlCommand("lock table pbx_event_batches in share mode", blocker, transaction).ExecuteNonQueryAsync(Ct);

            using var busy = await bridge.PostAsync($"api/pbx/{tenant.PbxId}/events", PbxFrames.Body(body), Ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), busy.Headers.RetryAfter?.Delta);
            var problem = await busy.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(503, problem.GetProperty("status").GetInt32());
            Assert.Contains("Retry-After", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        }

        using var retried = await bridge.PostAsync($"api/pbx/{tenant.PbxId}/events", PbxFrames.Body(body), Ct);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        await using var count = api.Database.DataSource.CreateCommand("select count(*) from pbx_event_journal where tenant_id = $1 and pbx_id = $2");
        count.Parameters.Add(new() { Value = tenant.TenantId });
        count.Parameters.Add(new() { Value = tenant.PbxId });
        Assert.Equal(2L, await count.ExecuteScalarAsync(Ct));
    }
}
