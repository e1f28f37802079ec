using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Telephony.Api.Fleet;
using Telephony.Api.Tenancy;
using Telephony.Api.Validation;
using Telephony.Core.Calls;
using Telephony.Core.Fleet;
using Telephony.Core.Storage;
using Telephony.Core.Tenancy;

namespace Telephony.Api.Commands;

/// <summary>
/// Click-to-call and hangup. The API never reaches the PBX itself: it queues a command for the PBX's bridge
/// (which polls <c>GET /api/pbx/{pbxId}/commands</c>) and waits a bounded time for the PBX's answer.
/// </summary>
internal static partial class CommandsApi
{
    public static IEndpointRouteBuilder MapCommandsApi(this IEndpointRouteBuilder routes)
    {
        var calls = routes.MapGroup("/api/calls").WithTags("Call control").RequireAuthorization(AuthPolicies.Agent)
            .AddEndpointFilter<DataAnnotationsValidationFilter>();
        calls.MapPost("/dial", DialAsync).WithName("dialCall").WithSummary("Place a call from an extension (click-to-call)")
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status504GatewayTimeout);
        calls.MapPost("/hangup/{callId}", HangupAsync).WithName("hangupCall").WithSummary("Hang up a call in progress")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway).ProducesProblem(StatusCodes.Status504GatewayTimeout);

        var bridge = routes.MapGroup("/api/pbx/{pbxId}/commands").WithTags("Bridge").RequireAuthorization(AuthPolicies.Bridge);
        bridge.MapGet("/", PollAsync).WithName("pollPbxCommands").WithSummary("Wait for the PBX's next commands (long poll)")
            .ProducesProblem(StatusCodes.Status409Conflict);
        bridge.MapPost("/{commandId:guid}/result", PostResultAsync).WithName("postPbxCommandResult").WithSummary("Report what the PBX answered to a command")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return routes;
    }

    private static async Task<Results<Ok<CommandAcceptedDto>, ValidationProblem, ProblemHttpResult>> DialAsync(
        DialRequest request, HttpContext http, TenantRepository tenants, ExtensionRepository extensions, IGrainFactory grains,
        IOptions<CommandOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var tenantId = http.User.TenantId();
        var errors = new Dictionary<string, string[]>();
        var caller = await extensions.FindAsync(tenantId, request.From!, cancellationToken);
        if (caller is null)
        {
            errors["from"] = [$"Extension {request.From} is not known on this tenant's PBX."];
        }

        var callee = Dialable().Replace(request.To!, "");
        if (!DialString().IsMatch(callee))
        {
            errors["to"] = ["to must be an extension or a phone number (digits, an optional leading +, * and #)."];
        }

        var pbx = caller is null ? null : await tenants.FindPbxAsync(tenantId, caller.PbxId, cancellationToken);
        if (request.CallerIdName is not null && pbx?.Kind == "p-series")
        {
            // Yeastar P-Series call/dial has no caller-ID parameter; silently dropping it would mislead the caller.
            errors["callerIdName"] = ["P-Series PBXs cannot set a caller ID name on API calls; leave callerIdName out."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var command = new PbxCommand(Guid.CreateVersion7(), "dial", request.From, callee, request.AutoAnswer, null, null, time.GetUtcNow());
        return await RunAsync(tenantId, pbx!, command, grains, options.Value);
    }

    private static async Task<Results<Ok<CommandAcceptedDto>, ValidationProblem, ProblemHttpResult>> HangupAsync(
        string callId, HttpContext http, CallRepository calls, TenantRepository tenants, IGrainFactory grains,
        IOptions<CommandOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var tenantId = http.User.TenantId();
        var call = await calls.FindAsync(tenantId, callId, cancellationToken);
        if (call is null)
        {
            return TypedResults.Problem(title: $"Call {callId} was not found.", statusCode: StatusCodes.Status404NotFound);
        }

        if (call.State.Status == CallStatus.Ended)
        {
            return TypedResults.Problem(title: $"Call {callId} has already ended.", statusCode: StatusCodes.Status409Conflict);
        }

        var pbx = await tenants.FindPbxAsync(tenantId, call.PbxId, cancellationToken);
        var command = new PbxCommand(Guid.CreateVersion7(), "hangup", null, null, false, call.State.PbxCallId, call.State.Extension, time.GetUtcNow());
        return await RunAsync(tenantId, pbx!, command, grains, options.Value);
    }

    private static async Task<Results<Ok<CommandAcceptedDto>, ValidationProblem, ProblemHttpResult>> RunAsync(
        string tenantId, PbxRecord pbx, PbxCommand command, IGrainFactory grains, CommandOptions options)
    {
        var link = grains.GetGrain<IPbxLinkGrain>(PbxLinkGrainKey.For(tenantId, pbx.Id));
        var sincePoll = await link.SecondsSinceLastPollAsync();
        if (sincePoll is null || sincePoll > options.BridgeOfflineAfter.TotalSeconds)
        {
            return TypedResults.Problem(title: $"The bridge of PBX {pbx.Id} is offline.", detail: "Start the bridge next to the PBX, then try again.", statusCode: StatusCodes.Status504GatewayTimeout);
        }

        await link.EnqueueAsync(command);
        var result = await link.WaitForResultAsync(command.Id, options.ResultTimeout);
        if (result is null)
        {
            return TypedResults.Problem(title: $"The PBX did not answer within {options.ResultTimeout.TotalSeconds:0} seconds.", statusCode: StatusCodes.Status504GatewayTimeout);
        }

        if (result.Errcode != 0)
        {
            return TypedResults.Problem(
                title: $"The PBX refused the {command.Kind}: {result.Errmsg}",
                statusCode: StatusCodes.Status502BadGateway,
                extensions: new Dictionary<string, object?> { ["errcode"] = result.Errcode, ["errmsg"] = result.Errmsg });
        }

        return TypedResults.Ok(new CommandAcceptedDto(command.Id, pbx.Id, result.CallId));
    }

    private static async Task<Results<Ok<PbxCommand[]>, NoContent, ProblemHttpResult>> PollAsync(
        string pbxId, int? wait, HttpContext http, IGrainFactory grains, PbxLeaseRepository leases, IHostApplicationLifetime lifetime)
    {
        var (caller, refusal) = await BridgeAccess.AuthorizeAsync(http, pbxId, leases, http.RequestAborted);
        if (caller is null)
        {
            return refusal!;
        }

        // A bridge that went away, or this instance shutting down, ends the wait at once: a graceful stop is not held up
        // by a poll nobody is waiting for, and the bridge's next poll reaches a live instance.
        var seconds = Math.Clamp(wait ?? 25, 0, 55);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            var commands = await grains.GetGrain<IPbxLinkGrain>(PbxLinkGrainKey.For(caller.TenantId, pbxId)).PollAsync(TimeSpan.FromSeconds(seconds), ended.Token);
            return commands.Count == 0 ? TypedResults.NoContent() : TypedResults.Ok(commands.ToArray());
        }
        catch (OperationCanceledException) when (ended.IsCancellationRequested)
        {
            return TypedResults.NoContent();
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> PostResultAsync(
        string pbxId, Guid commandId, PbxCommandResult result, HttpContext http, IGrainFactory grains, PbxLeaseRepository leases, CancellationToken cancellationToken)
    {
        var (caller, refusal) = await BridgeAccess.AuthorizeAsync(http, pbxId, leases, cancellationToken);
        if (caller is null)
        {
            return refusal!;
        }

        return await grains.GetGrain<IPbxLinkGrain>(PbxLinkGrainKey.For(caller.TenantId, pbxId)).CompleteAsync(commandId, result)
            ? TypedResults.NoContent()
            : TypedResults.Problem(title: $"Command {commandId} is unknown or already has a result.", statusCode: StatusCodes.Status404NotFound);
    }

    [GeneratedRegex(@"[\s\-().]")]
    private static partial Regex Dialable();

    [GeneratedRegex(@"^\+?[0-9*#]{1,32}$")]
    private static partial Regex DialString();
}
