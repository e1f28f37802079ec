using PhoneNumbers;

namespace Telephony.Core.Customers;

/// <summary>Normalizes phone numbers to E.164 with libphonenumber, for customer lookups.</summary>
public static class PhoneNumber
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// The E.164 form of <paramref name="raw"/> read with <paramref name="defaultRegion"/> (ISO 3166 code such as "RU"),
    /// or null for extension-like short numbers, invalid numbers and garbage. Never throws.
    /// </summary>
    public static string? ToE164(string? raw, string defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Length > 64)
        {
            return null;
        }

        try
        {
            var number = Util.Parse(raw.Trim(), string.IsNullOrWhiteSpace(defaultRegion) ? "ZZ" : defaultRegion.Trim().ToUpperInvariant());
            return Util.IsValidNumber(number) ? Util.Format(number, PhoneNumberFormat.E164) : null;
        }
        catch (Exception ex) when (ex is NumberParseException or ArgumentException)
        {
            return null;
        }
    }
}
