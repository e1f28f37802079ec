using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Telephony.Api.Calls;
using Telephony.Api.Tenancy;
using Telephony.Api.Validation;
using Telephony.Core.Calls;
using Telephony.Core.Storage;

namespace Telephony.Api.CallLinks;

/// <summary>What agents attach to a call: the customer, orders, notes. Each change is pushed to the tenant's board.</summary>
internal static class CallLinksApi
{
    public static RouteGroupBuilder MapCallLinksApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/calls/{callId}").WithTags("Calls").RequireAuthorization(AuthPolicies.Agent)
            .AddEndpointFilter<DataAnnotationsValidationFilter>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/customer", (string callId, LinkCustomerRequest request, HttpContext http, CallRepository calls, IGrainFactory grains) =>
            ChangeAsync(callId, http, calls, grains, grain => grain.LinkCustomerAsync(new CallCustomer(request.CustomerId!.Trim(), request.CustomerName?.Trim(), request.CustomerPhone?.Trim()))))
            .WithName("linkCallCustomer").WithSummary("Link a customer to a call");
        group.MapPost("/order", (string callId, LinkOrderRequest request, HttpContext http, CallRepository calls, IGrainFactory grains) =>
            ChangeAsync(callId, http, calls, grains, grain => grain.LinkOrderAsync(request.OrderId!.Trim())))
            .WithName("linkCallOrder").WithSummary("Link an order to a call");
        group.MapPost("/notes", (string callId, AddNoteRequest request, HttpContext http, CallRepository calls, IGrainFactory grains, TimeProvider time) =>
            ChangeAsync(callId, http, calls, grains, grain => grain.AddNoteAsync(new CallNote(Guid.CreateVersion7(), request.Note!.Trim(), Author(http.User), time.GetUtcNow()))))
            .WithName("addCallNote").WithSummary("Add a note to a call");
        return group;
    }

    private static async Task<Results<Ok<CallDto>, ProblemHttpResult>> ChangeAsync(
        string callId, HttpContext http, CallRepository calls, IGrainFactory grains, Func<ICallGrain, Task<CallRecord?>> change)
    {
        var tenantId = http.User.TenantId();
        // Another tenant's call id is simply not found here: 404, never 403, so ids leak nothing.
        var call = await calls.FindAsync(tenantId, callId, http.RequestAborted);
        if (call is null)
        {
            return TypedResults.Problem(title: $"Call {callId} was not found.", statusCode: StatusCodes.Status404NotFound);
        }

        var changed = await change(grains.GetGrain<ICallGrain>(CallGrainKey.For(tenantId, call.PbxId, call.State.PbxCallId)));
        return TypedResults.Ok(CallDto.For(changed ?? call));
    }

    private static string Author(ClaimsPrincipal user) => $"key:{user.FindFirstValue(ClaimTypes.NameIdentifier)}";
}
