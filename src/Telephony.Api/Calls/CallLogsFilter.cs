using System.Globalization;
using Telephony.Api.Tenancy;
using Telephony.Core.Customers;
using Telephony.Core.Storage;
using Telephony.Core.Tenancy;

namespace Telephony.Api.Calls;

/// <summary>Turns the history query string into a <see cref="CallQuery"/>, naming every field that is wrong.</summary>
internal static class CallLogsFilter
{
    public static async Task<(CallQuery Query, Dictionary<string, string[]> Errors)> ParseAsync(
        CallLogsRequest request, string tenantId, TenantRepository tenants, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var take = request.Limit ?? 100;
        var skip = request.Offset ?? 0;
        if (take is < 1 or > CallsApi.MaxLimit)
        {
            errors["limit"] = [$"limit must be between 1 and {CallsApi.MaxLimit}."];
        }

        if (skip is < 0 or > 10_000_000)
        {
            errors["offset"] = ["offset must be between 0 and 10000000."];
        }

        var calendar = await TenantCalendar.LoadAsync(tenants, tenantId, cancellationToken);
        var fromAt = ParseInstant(request.From, calendar, "from", errors, endOfDay: false);
        var toAt = ParseInstant(request.To, calendar, "to", errors, endOfDay: true);
        if (fromAt is not null && toAt is not null && fromAt >= toAt)
        {
            errors["to"] = ["to must not be before from."];
        }

        if (request.Direction is not (null or "inbound" or "outbound" or "internal"))
        {
            errors["direction"] = ["direction must be inbound, outbound or internal."];
        }

        if (request.Status is not (null or "ringing" or "answered" or "ended" or "missed" or "busy" or "failed"))
        {
            errors["status"] = ["status must be ringing, answered, ended, missed, busy or failed."];
        }

        if (request.Format is not (null or "csv" or "json"))
        {
            errors["format"] = ["format must be csv or json."];
        }

        CheckLength(request.Extension, "extension", 32, errors);
        CheckLength(request.CustomerId, "customerId", 100, errors);
        CheckLength(request.OrderId, "orderId", 100, errors);
        CheckLength(request.Q, "q", 200, errors);

        string? phoneE164 = null;
        string? phoneAsWritten = null;
        if (request.Phone is not null)
        {
            // A number that does not normalise (1001, 112, a number of an odd length) is matched as the PBX wrote it.
            phoneE164 = PhoneNumber.ToE164(request.Phone, calendar.Region);
            phoneAsWritten = phoneE164 is null ? PhoneNumber.AsWritten(request.Phone) : null;
            if (phoneE164 is null && phoneAsWritten is null)
            {
                errors["phone"] = [$"'{Truncate(request.Phone)}' is not a phone number: give its digits, with + and the country code if it has one."];
            }
        }

        CallCursor? after = null;
        if (request.Cursor is not null && !CallCursor.TryParse(request.Cursor, out after))
        {
            errors["cursor"] = ["cursor must be the nextCursor of a page this API returned."];
        }

        var query = new CallQuery(take, skip, fromAt, toAt, request.Direction, request.Status, Blank(request.Extension), phoneE164, Blank(request.CustomerId), Blank(request.OrderId), Blank(request.Q), phoneAsWritten, after);
        return (query, errors);
    }

    // A date (yyyy-MM-dd) is a day in the tenant's zone and 'to' includes that whole day; a timestamp is taken as is.
    private static DateTimeOffset? ParseInstant(string? value, TenantCalendar calendar, string field, Dictionary<string, string[]> errors, bool endOfDay)
    {
        if (value is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return calendar.StartOfDayUtc(endOfDay ? day.AddDays(1) : day);
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant.ToUniversalTime();
        }

        errors[field] = [$"{field} must be a date (yyyy-MM-dd) or an ISO 8601 timestamp."];
        return null;
    }

    private static void CheckLength(string? value, string field, int max, Dictionary<string, string[]> errors)
    {
        if (value is { Length: > 0 } && value.Length > max)
        {
            errors[field] = [$"{field} is longer than {max} characters."];
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
