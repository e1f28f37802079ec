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
    public static string For(PbxEvent? parsed, string frame, DateTimeOffset receivedAt)
    {
        if (parsed is CallDetailRecord cdr)
        {
            return $"cdr:{cdr.CallId}";
        }

        var bytes = Encoding.UTF8.GetBytes($"{receivedAt.UtcDateTime:O}|{frame}");
        return "frame:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
