namespace Telephony.Core.Storage;

/// <summary>Enum values as stored and shown: lower-case words (<c>inbound</c>, <c>missed</c>).</summary>
public static class StorageNames
{
    public static string? Of<TEnum>(TEnum? value)
        where TEnum : struct, Enum => value?.ToString().ToLowerInvariant();

    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    public static TEnum? Parse<TEnum>(string? value)
        where TEnum : struct, Enum => Enum.TryParse<TEnum>(value, ignoreCase: true, out var parsed) ? parsed : null;
}
