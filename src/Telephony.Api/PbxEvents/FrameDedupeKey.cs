using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Telephony.Core.Yeastar;

namespace Telephony.Api.PbxEvents;

/// <summary>
/// The journal's dedupe key. A CDR is unique per call, so the live 30012 and a backfilled copy collapse
/// into one. A live snapshot may legitimately repeat (unhold brings back the same members), so its key
/// is the frame plus the instant the bridge received it: a retry or spool replay repeats both.
/// </summary>
internal static class FrameDedupeKey
{
    private const string FramePrefix = "frame:";

    // The round-trip ("O") form of a UTC instant is 28 characters; then the separator.
    private const int InstantAndSeparatorChars = 29;

    public static string For(PbxEvent? parsed, string frame, DateTimeOffset receivedAt)
    {
        if (parsed is CallDetailRecord cdr)
        {
            return $"cdr:{cdr.CallId}";
        }

        // SHA-256 of UTF-8 "{receivedAt:O}|{frame}", hashed from a pooled buffer: every frame of every batch gets a key,
        // so the string, its bytes and the hex are not allocated apart from the key itself.
        Span<char> instant = stackalloc char[InstantAndSeparatorChars + 4];
        receivedAt.UtcDateTime.TryFormat(instant, out var instantChars, "O", CultureInfo.InvariantCulture);
        instant[instantChars++] = '|';
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(instantChars + frame.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(instant[..instantChars], buffer);
            length += Encoding.UTF8.GetBytes(frame, buffer.AsSpan(length));
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, length), hash);
            Span<char> key = stackalloc char[FramePrefix.Length + (hash.Length * 2)];
            FramePrefix.CopyTo(key);
            Convert.TryToHexStringLower(hash, key[FramePrefix.Length..], out _);
            return new string(key);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
