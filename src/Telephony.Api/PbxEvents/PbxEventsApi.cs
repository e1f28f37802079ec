using Microsoft.AspNetCore.Http.HttpResults;
using Telephony.Api.Calls;
using Telephony.Api.Fleet;
using Telephony.Api.LiveEvents;
using Telephony.Api.Switchboard;
using Telephony.Api.Tenancy;
using Telephony.Core.Fleet;
using Telephony.Core.Storage;
using Telephony.Core.Tenancy;

namespace Telephony.Api.PbxEvents;

/// <summary>Where the bridge posts PBX frames and link status (design.md §1, §6). Bridge keys only, for their own PBX.</summary>
internal static class PbxEventsApi
{
    public const int MaxBatchSize = 1000;
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    private static readonly string[] CallIdsRequired = ["callIds is required."];
    private static readonly string[] NumberRequired = ["number is required (at most 32 characters)."];

    public static RouteGroupBuilder MapPbxEventsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/pbx/{pbxId}").WithTags("Bridge").RequireAuthorization(AuthPolicies.Bridge);
        group.MapPost("/events", PostEventsAsync).WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes))
            .WithName("postPbxEvents").WithSummary("Post a batch of PBX frames")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapPost("/link", PostLinkAsync).WithName("postPbxLinkStatus").WithSummary("Report whether the bridge is linked to its PBX")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/extensions", PutExtensionsAsync).WithName("syncPbxExtensions").WithSummary("Replace the PBX's extension list")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPut("/active-calls", PutActiveCallsAsync).WithName("reconcilePbxActiveCalls").WithSummary("Report the PBX's calls in progress; ends the calls it no longer has")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    private static async Task<Results<Ok<EventBatchResponse>, ValidationProblem, ProblemHttpResult>> PostEventsAsync(
        string pbxId, EventBatchRequest batch, HttpContext http, PbxEventIngestor ingestor, PbxLeaseRepository leases, CancellationToken cancellationToken)
    {
        var (caller, refusal) = BridgeAccess.Resolve(http, pbxId);
        if (caller is null)
        {
            return refusal!;
        }

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(batch.BridgeId))
        {
            errors["bridgeId"] = ["bridgeId is required."];
        }
        else if (caller.Lease is { } lease && !string.Equals(batch.BridgeId, lease.Holder, StringComparison.Ordinal))
        {
            errors["bridgeId"] = [$"bridgeId must be the bridge that holds the lease (as in {BridgeAccess.BridgeHeader})."];
        }

        if (batch.Events is null)
        {
            errors["events"] = ["events is required."];
        }
        else if (batch.Events.Count > MaxBatchSize)
        {
            return TypedResults.Problem(title: $"A batch holds at most {MaxBatchSize} events.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        else
        {
            for (var i = 0; i < batch.Events.Count; i++)
            {
                if (batch.Events[i] is null || batch.Events[i].Seq is null)
                {
                    errors[$"events[{i}].seq"] = ["seq is required."];
                }
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // A fleet caller's lease is checked inside the journal append itself, not before it: see AppendFencedAsync.
        return await ingestor.IngestAsync(caller.TenantId, pbxId, batch.BridgeId!, batch.Events!, cancellationToken, caller.Lease) is { } accepted
            ? TypedResults.Ok(accepted)
            : await BridgeAccess.NotHeldAsync(caller, pbxId, leases, cancellationToken);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> PostLinkAsync(
        string pbxId, LinkStatusRequest link, HttpContext http, TenantRepository tenants, PbxLeaseRepository leases, ILiveEventPublisher publisher, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var (caller, refusal) = await BridgeAccess.AuthorizeAsync(http, pbxId, leases, cancellationToken);
        if (caller is null)
        {
            return refusal!;
        }

        var tenantId = caller.TenantId;
        if (await tenants.SetLinkStatusAsync(tenantId, pbxId, link.Connected, link.Reason, cancellationToken))
        {
            var logger = loggers.CreateLogger(typeof(PbxEventsApi));
            Log.LinkChanged(logger, pbxId, tenantId, link.Connected ? "connected" : "disconnected", link.Reason);
            await publisher.PublishAsync(
                tenantId,
                [],
                link.Connected ? LiveEventNames.YeastarConnected : LiveEventNames.YeastarDisconnected,
                new PbxLinkDto(pbxId, link.Connected, link.Reason),
                cancellationToken);
        }

        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> PutExtensionsAsync(
        string pbxId, ExtensionSyncRequest sync, HttpContext http, ExtensionRepository extensions, PbxLeaseRepository leases, CancellationToken cancellationToken)
    {
        var (caller, refusal) = await BridgeAccess.AuthorizeAsync(http, pbxId, leases, cancellationToken);
        if (caller is null)
        {
            return refusal!;
        }

        var items = sync.Extensions ?? [];
        var bad = items.Select((e, i) => (e, i)).Where(x => x.e is null || string.IsNullOrWhiteSpace(x.e.Number) || x.e.Number.Length > 32).ToList();
        if (sync.Extensions is null || bad.Count > 0 || items.Count > 10_000)
        {
            return TypedResults.ValidationProblem(bad.Count > 0
                ? bad.ToDictionary(x => $"extensions[{x.i}].number", _ => NumberRequired)
                : new Dictionary<string, string[]> { ["extensions"] = ["extensions is required (at most 10000)."] });
        }

        await extensions.SyncAsync(caller.TenantId, pbxId, [.. items.DistinctBy(e => e.Number).Select(e => new ExtensionRecord { PbxId = pbxId, Number = e.Number!, Name = e.Name, Registered = e.Registered, Presence = e.Presence })], cancellationToken);
        return TypedResults.NoContent();
    }

    // After a gap the bridge says which calls the PBX still has; a call we think is live but the PBX does not
    // have lost its BYE. Calls that changed in the last half minute are left alone: their frames may be in flight.
    private static async Task<Results<Ok<ReconcileResponse>, ValidationProblem, ProblemHttpResult>> PutActiveCallsAsync(
        string pbxId, ActiveCallsRequest snapshot, HttpContext http, IGrainFactory grains, PbxLeaseRepository leases, TimeProvider time, CancellationToken cancellationToken)
    {
        var (caller, refusal) = await BridgeAccess.AuthorizeAsync(http, pbxId, leases, cancellationToken);
        if (caller is null)
        {
            return refusal!;
        }

        if (snapshot.CallIds is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["callIds"] = CallIdsRequired });
        }

        var tenantId = caller.TenantId;
        var live = snapshot.CallIds.ToHashSet(StringComparer.Ordinal);
        var settled = time.GetUtcNow() - TimeSpan.FromSeconds(30);
        var gone = (await grains.GetGrain<ISwitchboardGrain>(tenantId).GetActiveCallsAsync())
            .Where(c => c.PbxId == pbxId && !live.Contains(c.State.PbxCallId) && c.State.LastEventAt < settled)
            .ToList();
        foreach (var call in gone)
        {
            await grains.GetGrain<ICallGrain>(CallGrainKey.For(tenantId, pbxId, call.State.PbxCallId)).ReconcileGoneAsync();
        }

        return TypedResults.Ok(new ReconcileResponse([.. gone.Select(c => c.State.PbxCallId)]));
    }
}
