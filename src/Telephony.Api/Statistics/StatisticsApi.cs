using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Telephony.Api.Tenancy;
using Telephony.Core.Statistics;
using Telephony.Core.Tenancy;

namespace Telephony.Api.Statistics;

internal static class StatisticsApi
{
    private const int MaxDays = 366;

    public static RouteGroupBuilder MapStatisticsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/calls/stats").WithTags("Statistics").RequireAuthorization(AuthPolicies.Agent);
        group.MapGet("/", (HttpContext http, TenantRepository tenants, StatisticsRepository stats, TimeProvider time, string? from, string? to, string? groupBy, int? slaSeconds, int? shortAbandonSeconds, CancellationToken cancellationToken) =>
            GetAsync(http, tenants, stats, time, new StatsRequest(from, to, groupBy, slaSeconds, shortAbandonSeconds, null), cancellationToken))
            .WithName("getCallStats").WithSummary("Get the tenant's call statistics, optionally grouped");
        group.MapGet("/{extension}", (string extension, HttpContext http, TenantRepository tenants, StatisticsRepository stats, TimeProvider time, string? from, string? to, int? slaSeconds, int? shortAbandonSeconds, CancellationToken cancellationToken) =>
            GetAsync(http, tenants, stats, time, new StatsRequest(from, to, null, slaSeconds, shortAbandonSeconds, extension), cancellationToken))
            .WithName("getExtensionCallStats").WithSummary("Get one extension's call statistics");
        return group;
    }

    private static async Task<Results<Ok<StatsResponse>, ValidationProblem>> GetAsync(
        HttpContext http, TenantRepository tenants, StatisticsRepository stats, TimeProvider time, StatsRequest request, CancellationToken cancellationToken)
    {
        var tenantId = http.User.TenantId();
        var tenant = await tenants.FindTenantAsync(tenantId, cancellationToken);
        var calendar = await TenantCalendar.LoadAsync(tenants, tenantId, cancellationToken);
        var errors = new Dictionary<string, string[]>();

        // Days are the tenant's days: 'from' starts at its local midnight and 'to' includes its whole day.
        var today = calendar.Today(time.GetUtcNow());
        var fromDay = ParseDay(request.From, "from", errors) ?? today.AddDays(-29);
        var toDay = ParseDay(request.To, "to", errors) ?? today;
        if (toDay < fromDay)
        {
            errors["to"] = ["to must not be before from."];
        }
        else if (toDay.DayNumber - fromDay.DayNumber >= MaxDays)
        {
            errors["to"] = [$"A range covers at most {MaxDays} days."];
        }

        var grouping = request.GroupBy switch
        {
            null => StatsGrouping.None,
            "extension" => StatsGrouping.Extension,
            "day" => StatsGrouping.Day,
            "hour" => StatsGrouping.Hour,
            _ => (StatsGrouping?)null,
        };
        if (grouping is null)
        {
            errors["groupBy"] = ["groupBy must be extension, day or hour."];
        }

        var sla = request.SlaSeconds ?? tenant?.SlaSeconds ?? 20;
        var shortAbandon = request.ShortAbandonSeconds ?? tenant?.ShortAbandonSeconds ?? 5;
        if (sla is < 1 or > 3600)
        {
            errors["slaSeconds"] = ["slaSeconds must be between 1 and 3600."];
        }

        if (shortAbandon is < 0 or > 600)
        {
            errors["shortAbandonSeconds"] = ["shortAbandonSeconds must be between 0 and 600."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var fromUtc = calendar.StartOfDayUtc(fromDay);
        var toUtc = calendar.StartOfDayUtc(toDay.AddDays(1));
        var totalsTask = stats.QueryAsync(tenantId, new StatsQuery(fromUtc, toUtc, calendar.ZoneId, sla, shortAbandon, StatsGrouping.None, request.Extension), cancellationToken);
        var totals = (await totalsTask) is [var row, ..] ? row : new CallStatsRow();
        IReadOnlyList<CallStatsRow> groups = grouping is StatsGrouping.None or null
            ? []
            : await stats.QueryAsync(tenantId, new StatsQuery(fromUtc, toUtc, calendar.ZoneId, sla, shortAbandon, grouping.Value, request.Extension), cancellationToken);

        return TypedResults.Ok(new StatsResponse(
            fromDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            toDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            calendar.ZoneId,
            sla,
            shortAbandon,
            request.Extension,
            request.GroupBy,
            CallStatsDto.From(totals),
            [.. groups.Select(CallStatsDto.From)]));
    }

    private static DateOnly? ParseDay(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (value is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        errors[field] = [$"{field} must be a date such as 2024-01-31."];
        return null;
    }

    private sealed record StatsRequest(string? From, string? To, string? GroupBy, int? SlaSeconds, int? ShortAbandonSeconds, string? Extension);
}
