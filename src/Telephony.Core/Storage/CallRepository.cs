using System.Collections.Immutable;
using System.Text.Json;
using Dapper;
using Npgsql;
using Telephony.Core.Calls;

namespace Telephony.Core.Storage;

/// <summary>Call logs and their legs. Every statement filters on the tenant.</summary>
public sealed class CallRepository(NpgsqlDataSource dataSource)
{
    /// <summary>History totals are counted exactly up to this many calls; a larger result says "more than this".</summary>
    public const int TotalCap = 1_000;

    private const string SelectColumns =
        """
        select id, tenant_id, pbx_id, pbx_call_id, direction, status, outcome, from_number, to_number,
               external_number, external_e164, extension, trunk, ring_group, started_at, answered_at, ended_at,
               ring_seconds, talk_seconds, duration_seconds, recording, satisfaction, failure_reason,
               on_hold, has_cdr, last_event_at, transfers::text as transfers, customer_id, customer_name, customer_phone,
               case when recording is not null then (select r.status from call_recordings r where r.tenant_id = call_logs.tenant_id and r.call_id = call_logs.id) end as recording_status
        from call_logs
        """;

    /// <summary>Several calls by their PBX call ids in one query (calls activating together), keyed as asked.</summary>
    public async Task<IReadOnlyDictionary<(string TenantId, string PbxId, string PbxCallId), CallRecord>> FindByPbxCallIdsAsync(
        IReadOnlyCollection<(string TenantId, string PbxId, string PbxCallId)> keys, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<CallRow>(new CommandDefinition(
            SelectColumns + " join unnest(@tenants, @pbxes, @callIds) as k(tenant_id, pbx_id, pbx_call_id) using (tenant_id, pbx_id, pbx_call_id)",
            new
            {
                tenants = keys.Select(k => k.TenantId).ToArray(),
                pbxes = keys.Select(k => k.PbxId).ToArray(),
                callIds = keys.Select(k => k.PbxCallId).ToArray(),
            },
            cancellationToken: cancellationToken))).AsList();
        var found = new Dictionary<(string, string, string), CallRecord>();
        foreach (var tenant in rows.GroupBy(r => r.TenantId))
        {
            foreach (var call in await WithLegsAsync(connection, tenant.Key, tenant.ToList(), cancellationToken))
            {
                found[(call.TenantId, call.PbxId, call.State.PbxCallId)] = call;
            }
        }

        return found;
    }

    /// <summary>Resolves the service's UUID or, failing that, the PBX call id, within the tenant.</summary>
    public async Task<CallRecord?> FindAsync(string tenantId, string callId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = Guid.TryParse(callId, out var id)
            ? await connection.QuerySingleOrDefaultAsync<CallRow>(new CommandDefinition(
                SelectColumns + " where tenant_id = @tenantId and id = @id", new { tenantId, id }, cancellationToken: cancellationToken))
            : await connection.QueryFirstOrDefaultAsync<CallRow>(new CommandDefinition(
                SelectColumns + " where tenant_id = @tenantId and pbx_call_id = @callId order by started_at desc nulls last limit 1",
                new { tenantId, callId }, cancellationToken: cancellationToken));
        return row is null ? null : await WithLegsAsync(connection, row, cancellationToken);
    }

    /// <summary>Saves one call as it is now (its row and legs); the grains write through <see cref="CallLogBatchWriter"/> in batches.</summary>
    public Task SaveAsync(CallRecord call, CancellationToken cancellationToken) =>
        new CallLogBatchWriter(dataSource).SaveAsync([call], cancellationToken);

    // First in the transaction, before any row is locked: a batch writer holding this tenant's lock may be waiting for
    // the same call's row (migration 0010).
    private const string LockTenantHistory = "select call_history_lock(array[@tenantId]::text[]);\n";

    public async Task SetCustomerAsync(string tenantId, Guid callId, CallCustomer customer, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            LockTenantHistory + "update call_logs set customer_id = @CustomerId, customer_name = @Name, customer_phone = @Phone where tenant_id = @tenantId and id = @callId",
            new { tenantId, callId, customer.CustomerId, customer.Name, customer.Phone }, cancellationToken: cancellationToken));
    }

    /// <summary>Links an order; linking the same order again changes nothing.</summary>
    public async Task AddOrderAsync(string tenantId, Guid callId, string orderId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            LockTenantHistory + "insert into call_orders (tenant_id, call_id, order_id) values (@tenantId, @callId, @orderId) on conflict do nothing",
            new { tenantId, callId, orderId }, cancellationToken: cancellationToken));
    }

    public async Task AddNoteAsync(string tenantId, Guid callId, CallNote note, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            LockTenantHistory + "insert into call_notes (tenant_id, id, call_id, note, author, created_at) values (@tenantId, @Id, @callId, @Note, @Author, @CreatedAt) on conflict do nothing",
            new { tenantId, callId, note.Id, note.Note, note.Author, note.CreatedAt }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<CallRecord>> ListActiveAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<CallRow>(new CommandDefinition(
            SelectColumns + " where tenant_id = @tenantId and status <> 'ended' order by started_at desc nulls last",
            new { tenantId }, cancellationToken: cancellationToken))).AsList();
        return await WithLegsAsync(connection, tenantId, rows, cancellationToken);
    }

    /// <summary>
    /// The callback queue: per number, the oldest inbound missed call that no answered call (either way)
    /// has followed since. Oldest first, so the longest-waiting customer is called back first. Read from
    /// call_callback_queue, which a trigger keeps equal to that definition (migration 0008).
    /// </summary>
    public async Task<IReadOnlyList<CallRecord>> ListOpenMissedAsync(string tenantId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var ids = (await connection.QueryAsync<Guid>(new CommandDefinition(
            "select call_id from call_callback_queue where tenant_id = @tenantId order by started_at, call_id limit @limit",
            new { tenantId, limit }, cancellationToken: cancellationToken))).AsList();
        return await ReadCallsAsync(connection, tenantId, ids, withLegs: true, cancellationToken);
    }

    /// <summary>
    /// A page of history, newest first, after <see cref="CallQuery.After"/> and/or <see cref="CallQuery.Offset"/> rows.
    /// The total is exact up to <see cref="TotalCap"/>; past it the page says so instead of counting every match.
    /// </summary>
    public async Task<CallPage> ListAsync(string tenantId, CallQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var extensions = await TextExtensionsAsync(connection, tenantId, query, cancellationToken);
        var sql = CallHistorySql.For(tenantId, query, query.After, query.Offset, query.Limit + 1, TotalCap, extensions);
        long counted;
        List<Guid> ids;
        var (all, common) = await AllMatchesAsync(connection, sql, cancellationToken);
        if (all is not null)
        {
            counted = all.Count;
            ids = [.. After(all, query.After).Skip(query.Offset).Take(query.Limit + 1).Select(m => m.Id)];
        }
        else if (common)
        {
            counted = TotalCap + 1;
            ids = (await connection.QueryAsync<Guid>(new CommandDefinition(sql.PageSql(query.After is not null), sql.Parameters, cancellationToken: cancellationToken))).AsList();
        }
        else
        {
            await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
                sql.CountSql() + ";\n" + sql.PageSql(query.After is not null), sql.Parameters, cancellationToken: cancellationToken));
            counted = await results.ReadSingleAsync<long>();
            ids = (await results.ReadAsync<Guid>()).AsList();
        }

        var calls = await ReadCallsAsync(connection, tenantId, [.. ids.Take(query.Limit)], withLegs: true, cancellationToken);
        var next = ids.Count > query.Limit && calls.Count > 0 ? CursorOf(calls[^1]) : null;
        return new CallPage(calls, Math.Min(counted, TotalCap), counted > TotalCap, next);
    }

    /// <summary>
    /// Streams every call that matches, newest first, in keyset pages: a month of calls is exported without holding it
    /// in memory, each page is its own short query, and page 500 costs what page 1 does. Legs are not read (the
    /// export has no leg columns).
    /// </summary>
    public async IAsyncEnumerable<CallRecord> StreamAsync(string tenantId, CallQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int pageSize = 2000;
        var after = query.After;
        IReadOnlyList<string>? extensions = null;
        List<HistoryKey>? all = null;
        var first = true;
        while (true)
        {
            IReadOnlyList<CallRecord> page;
            await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
            {
                extensions ??= await TextExtensionsAsync(connection, tenantId, query, cancellationToken);
                var sql = CallHistorySql.For(tenantId, query, after, skip: 0, take: pageSize, countCap: TotalCap, extensions);

                // Rare text is found once (every match, in order); everything else walks history order page by page.
                if (first)
                {
                    (all, _) = await AllMatchesAsync(connection, sql, cancellationToken);
                    first = false;
                }

                var ids = all is not null
                    ? [.. After(all, after).Take(pageSize).Select(m => m.Id)]
                    : (await connection.QueryAsync<Guid>(new CommandDefinition(sql.PageSql(after is not null), sql.Parameters, cancellationToken: cancellationToken))).AsList();
                page = await ReadCallsAsync(connection, tenantId, ids, withLegs: false, cancellationToken);
            }

            foreach (var call in page)
            {
                yield return call;
            }

            if (page.Count < pageSize)
            {
                yield break;
            }

            after = CursorOf(page[^1]);
        }
    }

    private static CallCursor CursorOf(CallRecord call) => new(call.State.StartedAt, call.Id);

    // Rare text: when the trigram index finds no more than the cap, those are every match, in history order (All).
    // More than the cap and the text is common (Common): the caller walks history order instead.
    private static async Task<(List<HistoryKey>? All, bool Common)> AllMatchesAsync(NpgsqlConnection connection, CallHistorySql sql, CancellationToken cancellationToken)
    {
        if (sql.CandidatesSql() is not { } candidates)
        {
            return (null, false);
        }

        var matches = (await connection.QueryAsync<HistoryKey>(new CommandDefinition(candidates, sql.Parameters, cancellationToken: cancellationToken)))
            .DistinctBy(m => m.Id).ToList();
        if (matches.Count > TotalCap)
        {
            return (null, true);
        }

        matches.Sort();
        return (matches, false);
    }

    private static IEnumerable<HistoryKey> After(List<HistoryKey> matches, CallCursor? cursor) =>
        cursor is null ? matches : matches.Where(m => m.CompareTo(HistoryKey.Of(cursor)) > 0);

    private static async Task<IReadOnlyList<string>?> TextExtensionsAsync(NpgsqlConnection connection, string tenantId, CallQuery query, CancellationToken cancellationToken) =>
        CallHistorySql.SearchesExtensions(query)
            ? (await connection.QueryAsync<string>(new CommandDefinition(
                CallHistorySql.MatchingExtensionsSql, new { TenantId = tenantId, Pattern = CallHistorySql.PatternOf(query.Text!) }, cancellationToken: cancellationToken))).AsList()
            : null;

    // Rows, orders and notes (and legs) of the given calls in one round trip, in the order of the ids.
    private static async Task<IReadOnlyList<CallRecord>> ReadCallsAsync(NpgsqlConnection connection, string tenantId, List<Guid> ids, bool withLegs, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            $"""
            {SelectColumns} where tenant_id = @tenantId and id = any(@ids);
            select call_id, order_id from call_orders where tenant_id = @tenantId and call_id = any(@ids) order by linked_at, order_id;
            select id, call_id, note, author, created_at from call_notes where tenant_id = @tenantId and call_id = any(@ids) order by created_at, id;
            select call_id, extension, ring_at, answered_at, ended_at, outcome from call_legs where @withLegs and tenant_id = @tenantId and call_id = any(@ids) order by ring_at, extension;
            """,
            new { tenantId, ids = ids.ToArray(), withLegs }, cancellationToken: cancellationToken));
        var rows = (await results.ReadAsync<CallRow>()).ToDictionary(r => r.Id);
        var orders = (await results.ReadAsync<(Guid CallId, string OrderId)>()).ToLookup(o => o.CallId, o => o.OrderId);
        var notes = (await results.ReadAsync<NoteRow>()).ToLookup(n => n.CallId);
        var legs = (await results.ReadAsync<LegRow>()).ToLookup(l => l.CallId);

        // A call that vanished between the two reads is left out rather than failing the page.
        return [.. ids.Where(rows.ContainsKey).Select(id => rows[id].ToRecord([.. legs[id].Select(l => l.ToLeg())]) with
        {
            Orders = [.. orders[id]],
            Notes = [.. notes[id].Select(n => new CallNote(n.Id, n.Note, n.Author, Utc(n.CreatedAt)))],
        })];
    }

    private static async Task<CallRecord> WithLegsAsync(NpgsqlConnection connection, CallRow row, CancellationToken cancellationToken) =>
        (await WithLegsAsync(connection, row.TenantId, [row], cancellationToken))[0];

    private static async Task<IReadOnlyList<CallRecord>> WithLegsAsync(NpgsqlConnection connection, string tenantId, List<CallRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var ids = rows.Select(r => r.Id).ToArray();
        var args = new { tenantId, ids };
        var legs = (await connection.QueryAsync<LegRow>(new CommandDefinition(
            "select call_id, extension, ring_at, answered_at, ended_at, outcome from call_legs where tenant_id = @tenantId and call_id = any(@ids) order by ring_at, extension",
            args, cancellationToken: cancellationToken))).ToLookup(l => l.CallId);
        var orders = (await connection.QueryAsync<(Guid CallId, string OrderId)>(new CommandDefinition(
            "select call_id, order_id from call_orders where tenant_id = @tenantId and call_id = any(@ids) order by linked_at, order_id",
            args, cancellationToken: cancellationToken))).ToLookup(o => o.CallId, o => o.OrderId);
        var notes = (await connection.QueryAsync<NoteRow>(new CommandDefinition(
            "select id, call_id, note, author, created_at from call_notes where tenant_id = @tenantId and call_id = any(@ids) order by created_at, id",
            args, cancellationToken: cancellationToken))).ToLookup(n => n.CallId);
        return rows.Select(r => r.ToRecord(legs[r.Id].Select(l => l.ToLeg()).ToImmutableList()) with
        {
            Orders = [.. orders[r.Id]],
            Notes = [.. notes[r.Id].Select(n => new CallNote(n.Id, n.Note, n.Author, Utc(n.CreatedAt)))],
        }).ToList();
    }

    private sealed class NoteRow
    {
        public Guid Id { get; init; }
        public Guid CallId { get; init; }
        public string Note { get; init; } = "";
        public string? Author { get; init; }
        public DateTime CreatedAt { get; init; }
    }

    private sealed class LegRow
    {
        public Guid CallId { get; init; }
        public string Extension { get; init; } = "";
        public DateTime RingAt { get; init; }
        public DateTime? AnsweredAt { get; init; }
        public DateTime? EndedAt { get; init; }
        public string? Outcome { get; init; }

        public CallLeg ToLeg() => new(Extension, Utc(RingAt), Utc(AnsweredAt), Utc(EndedAt), StorageNames.Parse<CallOutcome>(Outcome));
    }

    private sealed class CallRow
    {
        public Guid Id { get; init; }
        public string TenantId { get; init; } = "";
        public string PbxId { get; init; } = "";
        public string PbxCallId { get; init; } = "";
        public string? Direction { get; init; }
        public string Status { get; init; } = "";
        public string? Outcome { get; init; }
        public string? FromNumber { get; init; }
        public string? ToNumber { get; init; }
        public string? ExternalNumber { get; init; }
        public string? ExternalE164 { get; init; }
        public string? Extension { get; init; }
        public string? Trunk { get; init; }
        public string? RingGroup { get; init; }
        public DateTime? StartedAt { get; init; }
        public DateTime? AnsweredAt { get; init; }
        public DateTime? EndedAt { get; init; }
        public int? RingSeconds { get; init; }
        public int? TalkSeconds { get; init; }
        public int? DurationSeconds { get; init; }
        public string? Recording { get; init; }
        public string? Satisfaction { get; init; }
        public string? FailureReason { get; init; }
        public bool OnHold { get; init; }
        public bool HasCdr { get; init; }
        public DateTime LastEventAt { get; init; }
        public string Transfers { get; init; } = "[]";
        public string? CustomerId { get; init; }
        public string? CustomerName { get; init; }
        public string? CustomerPhone { get; init; }
        public string? RecordingStatus { get; init; }

        public CallRecord ToRecord(ImmutableList<CallLeg> legs) => new(Id, TenantId, PbxId, ExternalE164, new CallState
        {
            PbxCallId = PbxCallId,
            Direction = StorageNames.Parse<CallDirection>(Direction),
            Status = StorageNames.Parse<CallStatus>(Status) ?? CallStatus.Ringing,
            Outcome = StorageNames.Parse<CallOutcome>(Outcome),
            From = FromNumber,
            To = ToNumber,
            ExternalNumber = ExternalNumber,
            Extension = Extension,
            Trunk = Trunk,
            RingGroup = RingGroup,
            Legs = legs,
            Transfers = JsonSerializer.Deserialize<ImmutableList<CallTransfer>>(Transfers, StorageJson.Options) ?? [],
            StartedAt = Utc(StartedAt),
            AnsweredAt = Utc(AnsweredAt),
            EndedAt = Utc(EndedAt),
            RingSeconds = RingSeconds,
            TalkSeconds = TalkSeconds,
            DurationSeconds = DurationSeconds,
            Recording = Recording,
            Satisfaction = Satisfaction,
            FailureReason = FailureReason,
            OnHold = OnHold,
            HasCdr = HasCdr,
            LastEventAt = Utc(LastEventAt),
        })
        {
            Customer = CustomerId is null ? null : new CallCustomer(CustomerId, CustomerName, CustomerPhone),
            RecordingStatus = StorageNames.Parse<Recordings.RecordingStatus>(RecordingStatus),
        };
    }

    // Npgsql reads timestamptz as DateTime of kind Utc.
    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}
