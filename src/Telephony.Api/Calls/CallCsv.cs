using System.Globalization;
using System.Text;
using Telephony.Core.Calls;
using Telephony.Core.Storage;

namespace Telephony.Api.Calls;

/// <summary>RFC 4180 CSV of call history, written as the rows stream in.</summary>
internal static class CallCsv
{
    private static readonly string[] Header =
    [
        "id", "pbxId", "pbxCallId", "direction", "status", "outcome", "from", "to", "externalNumber", "extension", "ringGroup",
        "startedAt", "answeredAt", "endedAt", "ringSeconds", "talkSeconds", "durationSeconds", "customerId", "customerName", "orders", "notes", "satisfaction",
    ];

    public static async Task WriteAsync(Stream body, IAsyncEnumerable<CallRecord> calls, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 16 * 1024);
        await writer.WriteLineAsync(string.Join(',', Header));
        var rows = 0;
        await foreach (var call in calls.WithCancellation(cancellationToken))
        {
            var s = call.State;
            string?[] fields =
            [
                call.Id.ToString(), call.PbxId, s.PbxCallId, StorageNames.Of(s.Direction), StorageNames.Of(s.Status), StorageNames.Of(s.Outcome),
                s.From, s.To, call.ExternalE164 ?? s.ExternalNumber, s.Extension, s.RingGroup,
                Time(s.StartedAt), Time(s.AnsweredAt), Time(s.EndedAt), Number(s.RingSeconds), Number(s.TalkSeconds), Number(s.DurationSeconds),
                call.Customer?.CustomerId, call.Customer?.Name, string.Join(';', call.Orders), string.Join(" | ", call.Notes.Select(n => n.Note)), s.Satisfaction,
            ];
            await writer.WriteLineAsync(string.Join(',', fields.Select(Escape)));
            if (++rows % 500 == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }
    }

    private static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        // A spreadsheet runs a cell that starts with = or @ as a formula; a leading quote keeps it text.
        if (value[0] is '=' or '@' or '\t' or '\r' || (value[0] is '+' or '-' && value.Length > 1 && !char.IsDigit(value[1])))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private static string? Time(DateTimeOffset? value) => value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);
}
