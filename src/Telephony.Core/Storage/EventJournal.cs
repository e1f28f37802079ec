using Dapper;
using Npgsql;
using Telephony.Core.Fleet;

namespace Telephony.Core.Storage;

/// <summary>The raw frame journal: each frame once, a whole batch per statement (design.md §9).</summary>
/// <param name="marks">Where "applied" marks are written; by default the journal's own data source.</param>
public sealed class EventJournal(NpgsqlDataSource dataSource, RebuildableWrites? marks = null)
{
    /// <summary>
    /// Inserts the entries not seen before as one new batch, and returns it with the dedupe keys that were new. A batch
    /// with nothing new is applied already (there is nothing to apply).
    /// </summary>
    public async Task<JournalAppend> AppendAsync(string tenantId, string pbxId, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return new JournalAppend(0, new HashSet<string>());
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var inserted = (await connection.QueryAsync<(long BatchId, string? Key)>(new CommandDefinition(
            """
            with batch as (
                insert into pbx_event_batches (tenant_id, pbx_id) values (@tenantId, @pbxId) returning id
            ), fresh as (
                insert into pbx_event_journal (tenant_id, pbx_id, dedupe_key, bridge_id, seq, source, received_at, frame, event_type, pbx_call_id, parse_error, batch_id)
                select @tenantId, @pbxId, e.*, (select id from batch) from unnest(@keys, @bridges, @seqs, @sources, @receivedAts, @frames, @types, @callIds, @errors)
                    as e(dedupe_key, bridge_id, seq, source, received_at, frame, event_type, pbx_call_id, parse_error)
                on conflict (tenant_id, pbx_id, dedupe_key) do nothing
                returning dedupe_key
            )
            select (select id from batch), dedupe_key from fresh
            union all
            select (select id from batch), null where not exists (select from fresh)
            """,
            EntryParameters(tenantId, pbxId, entries),
            cancellationToken: cancellationToken))).AsList();
        return await CompleteAsync(inserted[0].BatchId, inserted, cancellationToken);
    }

    // The claim names the PBX's unexpired lease (LeaseParameters supplies holder and epoch).
    private const string HeldLease = "tenant_id = @tenantId and pbx_id = @pbxId and holder = @holder and epoch = @epoch and expires_at > now()";

    /// <summary>
    /// <see cref="AppendAsync"/> for a fleet bridge: journals the batch only while <paramref name="claim"/> names the
    /// PBX's unexpired lease, and returns null (journaling nothing) otherwise. The lease row is read <c>for share</c> in
    /// the same statement, so a new holder's acquire waits for this append to commit, and an append that waited for an
    /// acquire sees the new epoch and journals nothing: no frame of a lost lease lands after the next epoch began.
    /// </summary>
    public async Task<JournalAppend?> AppendFencedAsync(string tenantId, string pbxId, LeaseClaim claim, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        if (entries.Count == 0)
        {
            return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                $"select exists (select from pbx_leases where {HeldLease})",
                LeaseParameters(new DynamicParameters(new { tenantId, pbxId }), claim), cancellationToken: cancellationToken))
                ? new JournalAppend(0, new HashSet<string>())
                : null;
        }

        var inserted = (await connection.QueryAsync<(long? BatchId, string? Key)>(new CommandDefinition(
            $"""
            with lease as (
                select from pbx_leases
                where {HeldLease}
                for share
            ), batch as (
                insert into pbx_event_batches (tenant_id, pbx_id) select @tenantId, @pbxId from lease returning id
            ), fresh as (
                insert into pbx_event_journal (tenant_id, pbx_id, dedupe_key, bridge_id, seq, source, received_at, frame, event_type, pbx_call_id, parse_error, batch_id)
                select @tenantId, @pbxId, e.*, (select id from batch) from unnest(@keys, @bridges, @seqs, @sources, @receivedAts, @frames, @types, @callIds, @errors)
                    as e(dedupe_key, bridge_id, seq, source, received_at, frame, event_type, pbx_call_id, parse_error)
                where exists (select from batch)
                on conflict (tenant_id, pbx_id, dedupe_key) do nothing
                returning dedupe_key
            )
            select (select id from batch), dedupe_key from fresh
            union all
            select (select id from batch), null where not exists (select from fresh)
            """,
            // The same arrays as AppendAsync, plus the claim; kept apart so the bridge-key path stays as it was.
            LeaseParameters(EntryParameters(tenantId, pbxId, entries), claim),
            cancellationToken: cancellationToken))).AsList();
        return inserted[0].BatchId is { } batchId
            ? await CompleteAsync(batchId, [.. inserted.Select(r => (batchId, r.Key))], cancellationToken)
            : null;
    }

    // One column array per journal column, for the unnest of either append.
    private static DynamicParameters EntryParameters(string tenantId, string pbxId, IReadOnlyList<JournalEntry> entries) => new(new
    {
        tenantId,
        pbxId,
        keys = entries.Select(e => e.DedupeKey).ToArray(),
        bridges = entries.Select(e => e.BridgeId).ToArray(),
        seqs = entries.Select(e => e.Seq).ToArray(),
        sources = entries.Select(e => e.Source).ToArray(),
        receivedAts = entries.Select(e => e.ReceivedAt.UtcDateTime).ToArray(),
        frames = entries.Select(e => e.Frame).ToArray(),
        types = entries.Select(e => e.EventType).ToArray(),
        callIds = entries.Select(e => e.PbxCallId).ToArray(),
        errors = entries.Select(e => e.ParseError).ToArray(),
    });

    private static DynamicParameters LeaseParameters(DynamicParameters parameters, LeaseClaim claim)
    {
        parameters.Add("holder", claim.Holder);
        parameters.Add("epoch", claim.Epoch);
        return parameters;
    }

    private async Task<JournalAppend> CompleteAsync(long batchId, List<(long BatchId, string? Key)> inserted, CancellationToken cancellationToken)
    {
        var fresh = inserted.Where(r => r.Key is not null).Select(r => r.Key!).ToHashSet(StringComparer.Ordinal);
        if (fresh.Count == 0)
        {
            await MarkAppliedAsync([batchId], cancellationToken);
        }

        return new JournalAppend(batchId, fresh);
    }

    /// <summary>Marks batches applied: every frame of each reached its grain. A lost mark only means a replay.</summary>
    public async Task MarkAppliedAsync(IReadOnlyCollection<long> batchIds, CancellationToken cancellationToken)
    {
        if (batchIds.Count == 0)
        {
            return;
        }

        await using var connection = await (marks?.DataSource ?? dataSource).OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update pbx_event_batches set applied_at = now() where id = any(@batchIds) and applied_at is null",
            new { batchIds = batchIds.ToArray() }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Batches journaled but not marked applied (a crash between journal and grain), oldest first from after
    /// <paramref name="afterBatchId"/>, each with all its readable frames in journal order, so a replay can tell when a
    /// batch is done and page past one that keeps failing.
    /// </summary>
    /// <param name="settledFor">Skip batches younger than this: their own request may still be applying them.</param>
    public async Task<UnappliedBatches> LoadUnappliedAsync(int maxBatches, TimeSpan settledFor, CancellationToken cancellationToken, long afterBatchId = 0)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var batchIds = (await connection.QueryAsync<long>(new CommandDefinition(
            """
            select id from pbx_event_batches
            where applied_at is null and id > @afterBatchId and journaled_at < now() - @settledFor
            order by id
            limit @maxBatches
            """, new { maxBatches, settledFor, afterBatchId }, cancellationToken: cancellationToken))).AsList();
        if (batchIds.Count == 0)
        {
            return new UnappliedBatches([], []);
        }

        var frames = await connection.QueryAsync<UnappliedFrame>(new CommandDefinition(
            """
            select tenant_id, pbx_id, batch_id, dedupe_key, frame, source, received_at
            from pbx_event_journal
            where batch_id = any(@batchIds) and parse_error is null
            order by array_position(@batchIds, batch_id), seq
            """, new { batchIds = batchIds.ToArray() }, cancellationToken: cancellationToken));
        return new UnappliedBatches(batchIds, frames.AsList());
    }

    /// <summary>Batches not yet marked applied (for tests and operators).</summary>
    public async Task<IReadOnlyList<long>> UnappliedBatchesAsync(string tenantId, string pbxId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition(
            "select id from pbx_event_batches where tenant_id = @tenantId and pbx_id = @pbxId and applied_at is null order by id",
            new { tenantId, pbxId }, cancellationToken: cancellationToken))).AsList();
    }

    public async Task<long> CountAsync(string tenantId, string pbxId, bool withParseErrorOnly, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select count(*) from pbx_event_journal where tenant_id = @tenantId and pbx_id = @pbxId and (not @withParseErrorOnly or parse_error is not null)",
            new { tenantId, pbxId, withParseErrorOnly }, cancellationToken: cancellationToken));
    }
}
