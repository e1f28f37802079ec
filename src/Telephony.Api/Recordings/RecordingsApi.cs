using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Telephony.Api.Fleet;
using Telephony.Api.Tenancy;
using Telephony.Api.Validation;
using Telephony.Core.Fleet;
using Telephony.Core.Recordings;
using Telephony.Core.Storage;

namespace Telephony.Api.Recordings;

/// <summary>
/// Call recordings (issue 13): the bridge fetches each pending one from its PBX and uploads it here; agents of the
/// call's tenant play it (with HTTP ranges); a tenant admin erases one (audited) and sets how long they are kept.
/// </summary>
internal static class RecordingsApi
{
    /// <summary>An hour-long call recorded as 8 kHz 16-bit WAV is ~58 MB.</summary>
    public const long MaxRecordingBytes = 256L * 1024 * 1024;

    public static IEndpointRouteBuilder MapRecordingsApi(this IEndpointRouteBuilder routes)
    {
        var bridge = routes.MapGroup("/api/pbx/{pbxId}/recordings").WithTags("Bridge").RequireAuthorization(AuthPolicies.Bridge)
            .AddEndpointFilter<DataAnnotationsValidationFilter>();
        bridge.MapGet("/pending", ListPendingAsync).WithName("listPendingRecordings").WithSummary("List the PBX's recordings still to archive, oldest first")
            .ProducesProblem(StatusCodes.Status409Conflict);
        bridge.MapPut("/{callId:guid}", UploadAsync).WithName("uploadRecording").WithSummary("Upload a call's recording file (audio/wav or audio/mpeg)")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxRecordingBytes))
            .Accepts<Stream>(RecordingContentTypes.Wav, RecordingContentTypes.Mpeg)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        bridge.MapPost("/{callId:guid}/missing", MarkMissingAsync).WithName("markRecordingMissing").WithSummary("Report that the PBX has no such recording")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

        var calls = routes.MapGroup("/api/calls/{callId}/recording").WithTags("Recordings");
        calls.MapGet("", PlayAsync).RequireAuthorization(AuthPolicies.Agent).WithName("getCallRecording").WithSummary("Play a call's archived recording (HTTP range requests)")
            .Produces(StatusCodes.Status200OK, contentType: RecordingContentTypes.Wav, additionalContentTypes: [RecordingContentTypes.Mpeg])
            .Produces(StatusCodes.Status206PartialContent, contentType: RecordingContentTypes.Wav, additionalContentTypes: [RecordingContentTypes.Mpeg])
            .ProducesProblem(StatusCodes.Status404NotFound);
        calls.MapDelete("", DeleteAsync).RequireAuthorization(AuthPolicies.TenantAdmin).WithName("deleteCallRecording")
            .WithSummary("Erase a call's recording (tenant admin keys; audited)")
            .ProducesProblem(StatusCodes.Status404NotFound);

        var admin = routes.MapGroup("/api/admin/tenants/{tenantId}/recording-retention").WithTags("Admin").RequireAuthorization(AuthPolicies.Admin)
            .AddEndpointFilter<DataAnnotationsValidationFilter>();
        admin.MapGet("", GetRetentionAsync).WithName("getRecordingRetention").WithSummary("Get how many days the tenant keeps recordings")
            .ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapPut("", PutRetentionAsync).WithName("setRecordingRetention").WithSummary("Set how many days the tenant keeps recordings (null: for ever)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    private static async Task<Results<Ok<PendingRecordingDto[]>, ProblemHttpResult>> ListPendingAsync(
        string pbxId, HttpContext http, RecordingRepository recordings, PbxLeaseRepository leases, CancellationToken cancellationToken, int? limit = null)
    {
        var (caller, refusal) = await BridgeAccess.AuthorizeAsync(http, pbxId, leases, cancellationToken);
        if (caller is null)
        {
            return refusal!;
        }

        var pending = await recordings.ListPendingAsync(caller.TenantId, pbxId, Math.Clamp(limit ?? 20, 1, 100), cancellationToken);
        return TypedResults.Ok(pending.Select(p => new PendingRecordingDto(p.CallId, p.PbxCallId, p.FileName, p.CallStartedAt)).ToArray());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> UploadAsync(
        string pbxId, Guid callId, HttpContext http, RecordingRepository recordings, RecordingStore store, PbxLeaseRepository leases, CancellationToken cancellationToken)
    {
        var (caller, refusal) = await BridgeAccess.AuthorizeAsync(http, pbxId, leases, cancellationToken);
        if (caller is null)
        {
            return refusal!;
        }

        if (RecordingContentTypes.Normalize(http.Request.ContentType) is not { } contentType)
        {
            return TypedResults.Problem(
                title: "A recording is audio/wav or audio/mpeg.", detail: $"Content-Type was '{http.Request.ContentType}'.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }

        if (await FindOfPbxAsync(recordings, caller.TenantId, pbxId, callId, cancellationToken) is not { } recording)
        {
            return RecordingNotFound(callId);
        }

        if (recording.Status == RecordingStatus.Deleted)
        {
            // Erased (or expired) while the bridge was fetching it: it must not come back.
            return TypedResults.Problem(title: $"The recording of call {callId} was deleted; it is not archived again.", statusCode: StatusCodes.Status409Conflict);
        }

        if (!store.IsConfigured)
        {
            return StorageNotConfigured();
        }

        var blobName = RecordingStore.BlobNameFor(caller.TenantId, callId, contentType);
        var size = await store.UploadAsync(blobName, http.Request.Body, contentType, cancellationToken);
        if (size == 0)
        {
            await store.DeleteAsync(blobName, cancellationToken);
            return TypedResults.Problem(title: "The recording is empty.", statusCode: StatusCodes.Status400BadRequest);
        }

        if (!await recordings.MarkArchivedAsync(caller.TenantId, callId, blobName, contentType, size, cancellationToken))
        {
            // Deleted between the check and now: take the blob away again.
            await store.DeleteAsync(blobName, cancellationToken);
            return TypedResults.Problem(title: $"The recording of call {callId} was deleted; it is not archived again.", statusCode: StatusCodes.Status409Conflict);
        }

        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> MarkMissingAsync(
        string pbxId, Guid callId, MissingRecordingRequest request, HttpContext http, RecordingRepository recordings, PbxLeaseRepository leases, CancellationToken cancellationToken)
    {
        var (caller, refusal) = await BridgeAccess.AuthorizeAsync(http, pbxId, leases, cancellationToken);
        if (caller is null)
        {
            return refusal!;
        }

        if (await FindOfPbxAsync(recordings, caller.TenantId, pbxId, callId, cancellationToken) is not { } recording)
        {
            return RecordingNotFound(callId);
        }

        await recordings.MarkMissingAsync(caller.TenantId, callId, request.Reason!, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> PlayAsync(
        string callId, HttpContext http, CallRepository calls, RecordingRepository recordings, RecordingStore store, CancellationToken cancellationToken)
    {
        var tenantId = http.User.TenantId();
        if (await calls.FindAsync(tenantId, callId, cancellationToken) is not { } call
            || await recordings.FindAsync(tenantId, call.Id, cancellationToken) is not { } recording)
        {
            return RecordingNotFound(callId);
        }

        if (recording is not { Status: RecordingStatus.Archived, BlobName: { } blobName } || !store.IsConfigured)
        {
            return TypedResults.Problem(
                title: $"The recording of call {callId} is not archived.",
                detail: $"Its recording is {StorageNames.Of(recording.Status)}.",
                statusCode: StatusCodes.Status404NotFound);
        }

        if (await store.OpenReadAsync(blobName, cancellationToken) is not { } audio)
        {
            return RecordingNotFound(callId);
        }

        // Ranges: a browser's <audio> seeks with them; the blob's read stream is seekable.
        return TypedResults.File(audio, recording.ContentType ?? RecordingContentTypes.Wav, enableRangeProcessing: true);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string callId, HttpContext http, CallRepository calls, RecordingRepository recordings, RecordingStore store, CancellationToken cancellationToken, string? reason = null)
    {
        var tenantId = http.User.TenantId();
        if (await calls.FindAsync(tenantId, callId, cancellationToken) is not { } call
            || await recordings.FindAsync(tenantId, call.Id, cancellationToken) is not { Status: not RecordingStatus.Deleted } recording)
        {
            return RecordingNotFound(callId);
        }

        // The blob goes first: if marking fails after it, the erasure can simply be asked again; the other way round a
        // recording marked erased could linger in storage.
        if (recording.BlobName is { } blobName && store.IsConfigured)
        {
            await store.DeleteAsync(blobName, cancellationToken);
        }

        var actor = $"key:{http.User.FindFirstValue(ClaimTypes.NameIdentifier)}";
        return await recordings.MarkDeletedAsync(tenantId, call.Id, "deleted", actor, reason?.Trim() is { Length: > 0 } why ? why[..Math.Min(why.Length, 500)] : null, cancellationToken)
            ? TypedResults.NoContent()
            : RecordingNotFound(callId);
    }

    private static async Task<Results<Ok<RecordingRetentionDto>, ProblemHttpResult>> GetRetentionAsync(
        string tenantId, HttpContext http, RecordingRepository recordings, CancellationToken cancellationToken)
    {
        var (found, days) = Manages(http.User, tenantId) ? await recordings.GetRetentionAsync(tenantId, cancellationToken) : (false, null);
        return found ? TypedResults.Ok(new RecordingRetentionDto(days)) : TenantNotFound(tenantId);
    }

    private static async Task<Results<Ok<RecordingRetentionDto>, ProblemHttpResult>> PutRetentionAsync(
        string tenantId, PutRecordingRetentionRequest request, HttpContext http, RecordingRepository recordings, CancellationToken cancellationToken) =>
        Manages(http.User, tenantId) && await recordings.SetRetentionAsync(tenantId, request.RecordingRetentionDays, cancellationToken)
            ? TypedResults.Ok(new RecordingRetentionDto(request.RecordingRetentionDays))
            : TenantNotFound(tenantId);

    // A bridge reaches only its own PBX's recordings; another PBX's (or tenant's) is as good as absent.
    private static async Task<StoredRecording?> FindOfPbxAsync(RecordingRepository recordings, string tenantId, string pbxId, Guid callId, CancellationToken cancellationToken) =>
        await recordings.FindAsync(tenantId, callId, cancellationToken) is { } recording && string.Equals(recording.PbxId, pbxId, StringComparison.Ordinal)
            ? recording
            : null;

    // The bootstrap key manages every tenant; a tenant's admin key its own.
    private static bool Manages(ClaimsPrincipal user, string tenantId) =>
        user.IsPlatformAdmin() || string.Equals(user.FindFirstValue(TelephonyClaims.Tenant), tenantId, StringComparison.Ordinal);

    private static ProblemHttpResult RecordingNotFound(string callId) =>
        TypedResults.Problem(title: $"Call {callId} has no recording.", statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult RecordingNotFound(Guid callId) => RecordingNotFound(callId.ToString());

    private static ProblemHttpResult TenantNotFound(string tenantId) =>
        TypedResults.Problem(title: $"Tenant {tenantId} was not found.", statusCode: StatusCodes.Status404NotFound);

    private static ProblemHttpResult StorageNotConfigured() => TypedResults.Problem(
        title: "Recording storage is not configured.",
        detail: "Set AZURE_STORAGE_CONNECTION_STRING (or RECORDINGS_STORAGE_CONNECTION_STRING); the bridge keeps the recording and retries.",
        statusCode: StatusCodes.Status503ServiceUnavailable);
}
