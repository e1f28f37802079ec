using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Win32.SafeHandles;
using Telephony.PbxBridge.ApiLink;

namespace Telephony.PbxBridge.Spool;

/// <summary>
/// One spool record on disk: <c>[u32 LE payload length][u32 LE CRC-32 of payload][payload]</c>, the payload being UTF-8
/// JSON <c>{"seq","receivedAt","source","frame"}</c> (frame as a JSON string, exactly as received). The length and CRC
/// let recovery tell a whole record from a torn or garbled one.
/// </summary>
internal static partial class SpoolRecordFormat
{
    private const int HeaderSize = 8;
    private const int MaxPayloadBytes = 64 * 1024 * 1024;

    public static byte[] Encode(long seq, DateTimeOffset receivedAt, string source, string frame)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new SpoolRecord(seq, receivedAt, source, frame), SpoolJson.Default.SpoolRecord);
        var bytes = new byte[HeaderSize + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), Crc32.Compute(payload));
        payload.CopyTo(bytes.AsSpan(HeaderSize));
        return bytes;
    }

    /// <summary>The whole record at <paramref name="offset"/> and its size on disk, or null when none ends before <paramref name="limit"/>.</summary>
    public static (ForwardedFrame Frame, long Size)? Read(SafeFileHandle handle, long offset, long limit)
    {
        if (limit - offset < HeaderSize)
        {
            return null;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        if (RandomAccess.Read(handle, header, offset) < HeaderSize)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (length <= 0 || length > MaxPayloadBytes || length > limit - offset - HeaderSize)
        {
            return null;
        }

        var payload = new byte[length];
        if (RandomAccess.Read(handle, payload, offset + HeaderSize) < length || Crc32.Compute(payload) != crc)
        {
            return null;
        }

        try
        {
            var record = JsonSerializer.Deserialize(payload, SpoolJson.Default.SpoolRecord);
            if (record is null || record.Source is null || record.Frame is null)
            {
                return null;
            }

            return (new ForwardedFrame(record.Seq, record.ReceivedAt, record.Source, record.Frame, ApiForwarder.IsJson(record.Frame)),
                HeaderSize + length);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record SpoolRecord(long Seq, DateTimeOffset ReceivedAt, string Source, string Frame);

    // Source-generated, web defaults (the record format above): no reflection, so the bridge compiles ahead of time.
    [JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
    [JsonSerializable(typeof(SpoolRecord))]
    private sealed partial class SpoolJson : JsonSerializerContext
    {
    }
}
