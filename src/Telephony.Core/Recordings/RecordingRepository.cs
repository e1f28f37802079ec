using Dapper;
using Npgsql;
using Telephony.Core.Storage;

namespace Telephony.Core.Recordings;

/// <summary>Call recordings' state (<c>call_recordings</c>), their audit trail and the tenants' retention. Every statement filters on the tenant.</summary>
public sealed class RecordingRepository(NpgsqlDataSource dataSource)
{
    private const string SelectStored =
        """
        select tenant_id, call_id, pbx_id, file_name, status, blob_name, content_type, size_bytes, call_started_at
        from call_recordings
        """;

    /// <summary>The PBX's recordings not yet archived, oldest first.</summary>
    public async Task<IReadOnlyList<PendingRecording>> ListPendingAsync(string tenantId, string pbxId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(Guid CallId, string PbxCallId, string FileName, DateTime? CallStartedAt)>(new CommandDefinition(
            """
            select r.call_id, c.pbx_call_id, r.file_name, r.call_started_at
            from call_recordings r join call_logs c on c.tenant_id = r.tenant_id and c.id = r.call_id
            where r.tenant_id = @tenantId and r.pbx_id = @pbxId and r.status = 'pending'
            order by r.created_at
            limit @limit
            """,
            new { tenantId, pbxId, limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => new PendingRecording(r.CallId, r.PbxCallId, r.FileName, Utc(r.CallStartedAt)))];
    }

    public async Task<StoredRecording?> FindAsync(string tenantId, Guid callId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            SelectStored + " where tenant_id = @tenantId and call_id = @callId", new { tenantId, callId }, cancellationToken: cancellationToken));
        return row?.ToStored();
    }

    /// <summary>Archived under <paramref name="blobName"/>; false when there is no such recording or it was deleted meanwhile.</summary>
    public async Task<bool> MarkArchivedAsync(string tenantId, Guid callId, string blobName, string contentType, long sizeBytes, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            update call_recordings
            set status = 'archived', blob_name = @blobName, content_type = @contentType, size_bytes = @sizeBytes, reason = null, changed_at = now()
            where tenant_id = @tenantId and call_id = @callId and status <> 'deleted'
            """,
            new { tenantId, callId, blobName, contentType, sizeBytes },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>The PBX says it has no such recording; only a pending one becomes missing.</summary>
    public async Task<bool> MarkMissingAsync(string tenantId, Guid callId, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "update call_recordings set status = 'missing', reason = @reason, changed_at = now() where tenant_id = @tenantId and call_id = @callId and status = 'pending'",
            new { tenantId, callId, reason },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Marks the recording deleted and writes the audit row, in one transaction (its blob is removed before).</summary>
    /// <param name="action"><c>deleted</c> (an erasure request) or <c>expired</c> (retention).</param>
    public async Task<bool> MarkDeletedAsync(string tenantId, Guid callId, string action, string actor, string? reason, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var fileName = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            """
            update call_recordings set status = 'deleted', blob_name = null, reason = @reason, changed_at = now()
            where tenant_id = @tenantId and call_id = @callId and status <> 'deleted'
            returning file_name
            """,
            new { tenantId, callId, reason },
            transaction,
            cancellationToken: cancellationToken));
        if (fileName is null)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "insert into recording_audit (tenant_id, call_id, file_name, action, actor, reason) values (@tenantId, @callId, @fileName, @action, @actor, @reason)",
            new { tenantId, callId, fileName, action, actor, reason },
            transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>Archived recordings older than their tenant's retention period, oldest first.</summary>
    public async Task<IReadOnlyList<StoredRecording>> ListExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            select r.tenant_id, r.call_id, r.pbx_id, r.file_name, r.status, r.blob_name, r.content_type, r.size_bytes, r.call_started_at
            from tenants t
            cross join lateral (
              select * from call_recordings r
              where r.tenant_id = t.id and r.status = 'archived'
                and r.call_started_at < @now - make_interval(days => t.recording_retention_days)
              order by r.call_started_at
              limit @limit) r
            where t.recording_retention_days is not null
            limit @limit
            """,
            new { now, limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToStored())];
    }

    /// <summary>The tenant's retention in days (null = for ever); false when there is no such tenant.</summary>
    public async Task<bool> SetRetentionAsync(string tenantId, int? days, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "update tenants set recording_retention_days = @days where id = @tenantId", new { tenantId, days }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>(found, days): whether the tenant exists, and its retention in days (null = for ever).</summary>
    public async Task<(bool Found, int? Days)> GetRetentionAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<int?>(new CommandDefinition(
            "select recording_retention_days from tenants where id = @tenantId", new { tenantId }, cancellationToken: cancellationToken))).AsList();
        return rows.Count == 0 ? (false, null) : (true, rows[0]);
    }

    private static DateTimeOffset? Utc(DateTime? value) => value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    private sealed class Row
    {
        public string TenantId { get; init; } = "";
        public Guid CallId { get; init; }
        public string PbxId { get; init; } = "";
        public string FileName { get; init; } = "";
        public string Status { get; init; } = "";
        public string? BlobName { get; init; }
        public string? ContentType { get; init; }
        public long? SizeBytes { get; init; }
        public DateTime? CallStartedAt { get; init; }

        public StoredRecording ToStored() => new(
            TenantId, CallId, PbxId, FileName, StorageNames.Parse<RecordingStatus>(Status) ?? RecordingStatus.Pending, BlobName, ContentType, SizeBytes, Utc(CallStartedAt));
    }
}
