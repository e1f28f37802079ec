using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
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
        group.MapGet("/active", GetActiveAsync);
        group.MapGet("/logs", GetLogsAsync);
        group.MapGet("/{callId}", GetCallAsync);
        return group;
    }

    private static async Task<Ok<CallDto[]>> GetActiveAsync(HttpContext http, IGrainFactory grains)
    {
        var active = await grains.GetGrain<ISwitchboardGrain>(http.User.TenantId()).GetActiveCallsAsync();
        return TypedResults.Ok(active.Select(CallDto.For).ToArray());
    }

    private static async Task<Results<Ok<CallPageDto>, ValidationProblem>> GetLogsAsync(
        HttpContext http,
        CallRepository calls,
        TenantRepository tenants,
        int? limit,
        int? offset,
        string? from,
        string? to,
        string? direction,
        string? status,
        string? extension,
        string? phone,
        CancellationToken cancellationToken)
    {
        var tenantId = http.User.TenantId();
        var errors = new Dictionary<string, string[]>();
        var take = limit ?? 100;
        var skip = offset ?? 0;
        if (take is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxLimit}."];
        }

        if (skip < 0)
        {
            errors["offset"] = ["offset must not be negative."];
        }

        // Dates are days in the tenant's zone and phone numbers use its region: both come from its (first) PBX.
        var pbx = (await tenants.ListPbxesAsync(tenantId, cancellationToken)) is [var first, ..] ? first : null;
        var zone = PbxTimeZones.Find(pbx?.TimeZone ?? "UTC");
        var fromAt = ParseDay(from, zone, "from", errors, endOfDay: false);
        var toAt = ParseDay(to, zone, "to", errors, endOfDay: true);
        if (fromAt is not null && toAt is not null && fromAt >= toAt)
        {
            errors["to"] = ["to must not be before from."];
        }

        if (direction is not null && direction is not ("inbound" or "outbound" or "internal"))
        {
            errors["direction"] = ["direction must be inbound, outbound or internal."];
        }

        if (status is not null && status is not ("ringing" or "answered" or "ended" or "missed" or "busy" or "failed"))
        {
            errors["status"] = ["status must be ringing, answered, ended, missed, busy or failed."];
        }

        string? phoneE164 = null;
        if (phone is not null)
        {
            phoneE164 = PhoneNumber.ToE164(phone, pbx?.DefaultRegion ?? "RU");
            if (phoneE164 is null)
            {
                errors["phone"] = ["phone is not a phone number."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await calls.ListAsync(tenantId, new CallQuery(take, skip, fromAt, toAt, direction, status, extension, phoneE164), cancellationToken);
        return TypedResults.Ok(new CallPageDto([.. page.Items.Select(CallDto.For)], page.Total, take, skip));
    }

    private static async Task<Results<Ok<CallDto>, ProblemHttpResult>> GetCallAsync(string callId, HttpContext http, CallRepository calls, CancellationToken cancellationToken)
    {
        var call = await calls.FindAsync(http.User.TenantId(), callId, cancellationToken);
        return call is null
            ? TypedResults.Problem(title: $"Call {callId} was not found.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(CallDto.For(call));
    }

    // A date (yyyy-MM-dd) is a day in the tenant's zone and 'to' includes that whole day; a full timestamp is taken as is.
    private static DateTimeOffset? ParseDay(string? value, TimeZoneInfo zone, string field, Dictionary<string, string[]> errors, bool endOfDay)
    {
        if (value is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var local = (endOfDay ? day.AddDays(1) : day).ToDateTime(TimeOnly.MinValue);
            return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant.ToUniversalTime();
        }

        errors[field] = [$"{field} must be a date (yyyy-MM-dd) or an ISO 8601 timestamp."];
        return null;
    }
}
