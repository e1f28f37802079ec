using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;
using Telephony.Api.Customers;
using Telephony.Api.Switchboard;
using Telephony.Api.Tenancy;
using Telephony.Core.Customers;
using Telephony.Core.Storage;
using Telephony.Core.Tenancy;

namespace Telephony.Api.Calls;

internal static class CallsApi
{
    public const int MaxLimit = 500;

    public static RouteGroupBuilder MapCallsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/calls").WithTags("Calls").RequireAuthorization(AuthPolicies.Agent);
        group.MapGet("/active", GetActiveAsync).WithName("listActiveCalls").WithSummary("List the calls in progress");
        group.MapGet("/logs", GetLogsAsync).WithName("listCallLogs").WithSummary("Page through the call history, newest first")
            .WithDescription("JSON pages by default; format=csv or Accept: text/csv streams every matching call as CSV instead.")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                // The CSV export is the same 200 as text/csv; the union's Ok<CallPageDto> documents only the JSON page.
                operation.Responses?["200"].Content?.TryAdd("text/csv", new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } });
                return Task.CompletedTask;
            });
        group.MapGet("/logs/phone/{number}", GetLogsByPhoneAsync).WithName("listCallLogsByPhone").WithSummary("Page through the calls from or to a phone number");
        group.MapGet("/missed", GetMissedAsync).WithName("listMissedCalls").WithSummary("List missed inbound calls, by default those not yet called back");
        group.MapGet("/{callId}", GetCallAsync).WithName("getCall").WithSummary("Get one call with its legs, notes, orders and customer")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    private static async Task<Ok<CallDto[]>> GetActiveAsync(HttpContext http, IGrainFactory grains)
    {
        var active = await grains.GetGrain<ISwitchboardGrain>(http.User.TenantId()).GetActiveCallsAsync();
        return TypedResults.Ok(active.Select(CallDto.For).ToArray());
    }

    private static async Task<Results<Ok<CallPageDto>, PushStreamHttpResult, ValidationProblem>> GetLogsAsync(
        [AsParameters] CallLogsRequest request, HttpContext http, CallRepository calls, TenantRepository tenants, CancellationToken cancellationToken)
    {
        var tenantId = http.User.TenantId();
        var (query, errors) = await CallLogsFilter.ParseAsync(request, tenantId, tenants, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (WantsCsv(http, request.Format))
        {
            // Streamed keyset page by keyset page: a month of calls downloads without being held in memory.
            return TypedResults.Stream(
                stream => CallCsv.WriteAsync(stream, calls.StreamAsync(tenantId, query with { Offset = 0 }, http.RequestAborted), http.RequestAborted),
                "text/csv; charset=utf-8",
                $"calls-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv");
        }

        return TypedResults.Ok(CallPageDto.For(await calls.ListAsync(tenantId, query, cancellationToken), query));
    }

    private static async Task<Results<Ok<CallPageDto>, ValidationProblem>> GetLogsByPhoneAsync(
        string number, int? limit, int? offset, string? cursor, HttpContext http, CallRepository calls, TenantRepository tenants, CancellationToken cancellationToken)
    {
        var tenantId = http.User.TenantId();
        var (query, errors) = await CallLogsFilter.ParseAsync(new CallLogsRequest { Limit = limit, Offset = offset, Phone = number, Cursor = cursor }, tenantId, tenants, cancellationToken);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(CallPageDto.For(await calls.ListAsync(tenantId, query, cancellationToken), query));
    }

    private static async Task<Results<Ok<CallDto[]>, ValidationProblem>> GetMissedAsync(bool? open, int? limit, HttpContext http, CallRepository calls, CancellationToken cancellationToken)
    {
        var take = limit ?? 100;
        if (take is < 1 or > MaxLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [$"limit must be between 1 and {MaxLimit}."] });
        }

        var tenantId = http.User.TenantId();
        if (open ?? true)
        {
            return TypedResults.Ok((await calls.ListOpenMissedAsync(tenantId, take, cancellationToken)).Select(CallDto.For).ToArray());
        }

        var page = await calls.ListAsync(tenantId, new CallQuery(take, 0, Direction: "inbound", Status: "missed"), cancellationToken);
        return TypedResults.Ok(page.Items.Select(CallDto.For).ToArray());
    }

    private static async Task<Results<Ok<CallDto>, ProblemHttpResult>> GetCallAsync(string callId, HttpContext http, CallRepository calls, CustomerLookup customers, CancellationToken cancellationToken)
    {
        var call = await calls.FindAsync(http.User.TenantId(), callId, cancellationToken);
        if (call is null)
        {
            return TypedResults.Problem(title: $"Call {callId} was not found.", statusCode: StatusCodes.Status404NotFound);
        }

        // One call's page shows the caller's profile too; lists stay lean.
        if (call.Customer is not null && call.ExternalE164 is not null)
        {
            call = call with { Profile = await customers.FindAsync(call.TenantId, call.ExternalE164, cancellationToken) };
        }

        return TypedResults.Ok(CallDto.For(call));
    }

    private static bool WantsCsv(HttpContext http, string? format) =>
        string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase)
        || (format is null && http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)));
}
