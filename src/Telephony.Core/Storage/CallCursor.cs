using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Telephony.Core.Storage;

/// <summary>
/// Where a page of history ended, for keyset paging: the last call's start (null sorts after every start) and id,
/// in the history's order (newest first, then id). On the wire it is an opaque base64url token.
/// </summary>
public sealed record CallCursor(DateTimeOffset? StartedAt, Guid Id)
{
    private const byte Version = 1;

    public string Encode()
    {
        Span<byte> bytes = stackalloc byte[26];
        bytes[0] = Version;
        bytes[1] = StartedAt is null ? (byte)0 : (byte)1;
        BinaryPrimitives.WriteInt64BigEndian(bytes[2..], StartedAt?.UtcTicks ?? 0);
        Id.TryWriteBytes(bytes[10..], bigEndian: true, out _);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Reads a token made by <see cref="Encode"/>; anything else is not a cursor.</summary>
    public static bool TryParse(string? token, [NotNullWhen(true)] out CallCursor? cursor)
    {
        cursor = null;
        if (token is null || token.Length is < 30 or > 40)
        {
            return false;
        }

        var base64 = token.Replace('-', '+').Replace('_', '/');
        base64 += new string('=', (4 - (base64.Length % 4)) % 4);
        Span<byte> bytes = stackalloc byte[30];
        if (!Convert.TryFromBase64String(base64, bytes, out var written) || written != 26 || bytes[0] != Version || bytes[1] > 1)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes[2..]);
        if (ticks is < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        cursor = new CallCursor(bytes[1] == 1 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null, new Guid(bytes[10..26], bigEndian: true));
        return true;
    }
}
