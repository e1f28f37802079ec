using Dapper;
using Npgsql;

namespace Telephony.Core.Storage;

/// <summary>The raw frame journal: each frame once, a whole batch per statement (design.md §9).</summary>
/// <param name="marks">Where "applied" marks are written; by default the journal's own data source.</param>
public sealed class EventJournal(NpgsqlDataSource dataSource, RebuildableWrites? marks = null)
{
    /// <summary>Inserts the entries not seen before and returns the dedupe keys that were new.</summary>
    public async Task<IReadOnlySet<string>> AppendAsync(string tenantId, string pbxId, IReadOnlyList<JournalEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return new HashSet<string>();
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var inserted = await connection.QueryAsync<string>(new CommandDefinition(
            """
            insert into pbx_event_journal (tenant_id, pbx_id, dedupe_key, bridge_id, seq, source, received_at, frame, event_type, pbx_call_id, parse_error)
            select @tenantId, @pbxId, e.* from unnest(@keys, @bridges, @seqs, @sources, @receivedAts, @frames, @types, @callIds, @errors)
                as e(dedupe_key, bridge_id, seq, source, received_at, frame, event_type, pbx_call_id, parse_error)
            on conflict (tenant_id, pbx_id, dedupe_key) do nothing
            returning dedupe_key
            """,
            new
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
            },
            cancellationToken: cancellationToken));
        return inserted.ToHashSet(StringComparer.Ordinal);
    }

    public async Task MarkAppliedAsync(string tenantId, string pbxId, IReadOnlyCollection<string> dedupeKeys, CancellationToken cancellationToken)
    {
        if (dedupeKeys.Count == 0)
        {
            return;
        }

        await using var connection = await (marks?.DataSource ?? dataSource).OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update pbx_event_journal set applied_at = now() where tenant_id = @tenantId and pbx_id = @pbxId and dedupe_key = any(@keys)",
            new { tenantId, pbxId, keys = dedupeKeys.ToArray() }, cancellationToken: cancellationToken));
    }

    /// <summary>Frames journaled but not yet applied (a crash between journal and grain), oldest first.</summary>
    /// <param name="settledFor">Skip frames younger than this: their own request may still be applying them.</param>
    public async Task<IReadOnlyList<UnappliedFrame>> LoadUnappliedAsync(int limit, TimeSpan settledFor, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<UnappliedFrame>(new CommandDefinition(
            """
            select tenant_id, pbx_id, dedupe_key, frame, source, received_at
            from pbx_event_journal
            where applied_at is null and parse_error is null and journaled_at < now() - @settledFor
            order by journaled_at, seq
            limit @limit
            """, new { limit, settledFor }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    public async Task<long> CountAsync(string tenantId, string pbxId, bool withParseErrorOnly, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select count(*) from pbx_event_journal where tenant_id = @tenantId and pbx_id = @pbxId and (not @withParseErrorOnly or parse_error is not null)",
            new { tenantId, pbxId, withParseErrorOnly }, cancellationToken: cancellationToken));
    }
}
