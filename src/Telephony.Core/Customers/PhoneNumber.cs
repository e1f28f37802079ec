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

    /// <summary>
    /// The number as a PBX writes it — its digits, with the leading + if it had one — for numbers that do not normalise
    /// (extensions, short codes such as 112, numbers of an unexpected length); null for text that is not a number.
    /// </summary>
    public static string? AsWritten(string? raw)
    {
        var text = raw?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 64 || !text.Any(char.IsAsciiDigit)
            || !text.All(c => char.IsAsciiDigit(c) || c is '+' or ' ' or '-' or '(' or ')' or '.'))
        {
            return null;
        }

        var digits = new string([.. text.Where(char.IsAsciiDigit)]);
        return text.StartsWith('+') ? "+" + digits : digits;
    }
}
