using System.Collections.Immutable;
using System.Text.Json;
using Dapper;
using Npgsql;
using Telephony.Core.Calls;

namespace Telephony.Core.Storage;

/// <summary>Call logs and their legs. Every statement filters on the tenant.</summary>
public sealed class CallRepository(NpgsqlDataSource dataSource)
{
    private const string SelectColumns =
        """
        select id, tenant_id, pbx_id, pbx_call_id, direction, status, outcome, from_number, to_number,
               external_number, external_e164, extension, trunk, ring_group, started_at, answered_at, ended_at,
               ring_seconds, talk_seconds, duration_seconds, recording, satisfaction, failure_reason,
               on_hold, has_cdr, last_event_at, transfers::text as transfers, customer_id, customer_name, customer_phone
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

    public async Task SetCustomerAsync(string tenantId, Guid callId, CallCustomer customer, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "update call_logs set customer_id = @CustomerId, customer_name = @Name, customer_phone = @Phone where tenant_id = @tenantId and id = @callId",
            new { tenantId, callId, customer.CustomerId, customer.Name, customer.Phone }, cancellationToken: cancellationToken));
    }

    /// <summary>Links an order; linking the same order again changes nothing.</summary>
    public async Task AddOrderAsync(string tenantId, Guid callId, string orderId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into call_orders (tenant_id, call_id, order_id) values (@tenantId, @callId, @orderId) on conflict do nothing",
            new { tenantId, callId, orderId }, cancellationToken: cancellationToken));
    }

    public async Task AddNoteAsync(string tenantId, Guid callId, CallNote note, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into call_notes (tenant_id, id, call_id, note, author, created_at) values (@tenantId, @Id, @callId, @Note, @Author, @CreatedAt) on conflict do nothing",
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
    /// has followed since. Oldest first, so the longest-waiting customer is called back first.
    /// </summary>
    public async Task<IReadOnlyList<CallRecord>> ListOpenMissedAsync(string tenantId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<CallRow>(new CommandDefinition(
            $"""
            {SelectColumns}
            where id in (
              select distinct on (m.external_e164) m.id
              from call_logs m
              where m.tenant_id = @tenantId and m.direction = 'inbound' and m.outcome = 'missed' and m.external_e164 is not null
                and not exists (
                  select 1 from call_logs r
                  where r.tenant_id = m.tenant_id and r.external_e164 = m.external_e164
                    and r.outcome = 'answered' and r.started_at > m.started_at)
              order by m.external_e164, m.started_at)
            and tenant_id = @tenantId
            order by started_at
            limit @limit
            """, new { tenantId, limit }, cancellationToken: cancellationToken))).AsList();
        return await WithLegsAsync(connection, tenantId, rows, cancellationToken);
    }

    public async Task<CallPage> ListAsync(string tenantId, CallQuery query, CancellationToken cancellationToken)
    {
        var (where, parameters) = Filter(tenantId, query);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"select count(*) from call_logs {where}", parameters, cancellationToken: cancellationToken));
        var rows = (await connection.QueryAsync<CallRow>(new CommandDefinition(
            $"{SelectColumns} {where} order by started_at desc nulls last, id limit @Limit offset @Offset", parameters, cancellationToken: cancellationToken))).AsList();
        return new CallPage(await WithLegsAsync(connection, tenantId, rows, cancellationToken), total);
    }

    /// <summary>
    /// Streams every call that matches, newest first, in pages: a month of calls is exported without
    /// holding it in memory, and each page is its own short query.
    /// </summary>
    public async IAsyncEnumerable<CallRecord> StreamAsync(string tenantId, CallQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int pageSize = 1000;
        for (var offset = 0; ; offset += pageSize)
        {
            var page = await ListAsync(tenantId, query with { Limit = pageSize, Offset = offset }, cancellationToken);
            foreach (var call in page.Items)
            {
                yield return call;
            }

            if (page.Items.Count < pageSize)
            {
                yield break;
            }
        }
    }

    private static (string Where, object Parameters) Filter(string tenantId, CallQuery query)
    {
        var where = "where tenant_id = @TenantId"
            + (query.From is null ? "" : " and started_at >= @From")
            + (query.To is null ? "" : " and started_at < @To")
            + (query.Direction is null ? "" : " and direction = @Direction")
            + (query.Status is null ? "" : " and (status = @Status or outcome = @Status)")
            + (query.Extension is null ? "" : " and (extension = @Extension or exists (select 1 from call_legs l where l.tenant_id = call_logs.tenant_id and l.call_id = call_logs.id and l.extension = @Extension))")
            + (query.PhoneE164 is null ? "" : " and external_e164 = @PhoneE164")
            + (query.PhoneAsWritten is null ? "" : " and (from_number = any(@PhoneForms) or to_number = any(@PhoneForms) or external_number = any(@PhoneForms))")
            + (query.CustomerId is null ? "" : " and customer_id = @CustomerId")
            + (query.OrderId is null ? "" : " and exists (select 1 from call_orders o where o.tenant_id = call_logs.tenant_id and o.call_id = call_logs.id and o.order_id = @OrderId)")
            + (query.Text is null ? "" : """
                 and (from_number ilike @Pattern or to_number ilike @Pattern or external_number ilike @Pattern
                      or external_e164 ilike @Pattern or customer_name ilike @Pattern or extension ilike @Pattern
                      or exists (select 1 from call_notes n where n.tenant_id = call_logs.tenant_id and n.call_id = call_logs.id and n.note ilike @Pattern))
                """);
        var parameters = new
        {
            TenantId = tenantId,
            query.From,
            query.To,
            query.Direction,
            query.Status,
            query.Extension,
            query.PhoneE164,
            // "+15550100" and "15550100" are the same number written two ways.
            PhoneForms = query.PhoneAsWritten is { } written ? new[] { written, written.TrimStart('+'), "+" + written.TrimStart('+') } : null,
            query.CustomerId,
            query.OrderId,
            Pattern = query.Text is null ? null : "%" + EscapeLike(query.Text) + "%",
            query.Limit,
            query.Offset,
        };
        return (where, parameters);
    }

    // The user's text is data: %, _ and \ match themselves.
    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

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
        };
    }

    // Npgsql reads timestamptz as DateTime of kind Utc.
    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? Utc(v) : null;
}
