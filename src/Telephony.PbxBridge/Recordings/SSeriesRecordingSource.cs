using System.Globalization;
using Telephony.PbxBridge.SSeries;

namespace Telephony.PbxBridge.Recordings;

/// <summary>
/// B6: <c>recording/get_random</c> gives a single-use random valid 30 s; <c>GET recording/download?recording=&amp;random=&amp;token=</c>
/// is the file. 20014 means the PBX has no such recording. The download is never retried as such: a second try needs a
/// new random, which the next attempt asks for.
/// </summary>
internal sealed class SSeriesRecordingSource(SSeriesSession session, IHttpClientFactory httpClientFactory) : IRecordingSource
{
    public async Task<RecordingFetch> FetchAsync(string fileName, string path, CancellationToken cancellationToken)
    {
        var token = "";
        var reply = await session.CallAsync(
            (client, t, ct) =>
            {
                token = t;
                return client.RecordingRandomAsync(t, fileName, ct);
            },
            cancellationToken);
        if (!reply.IsSuccess)
        {
            return reply.ErrnoValue == SSeriesErrorCodes.RecordingNotFound
                ? RecordingFetch.Missing($"{reply.ErrnoValue} recording does not exist")
                : throw new YeastarApiException("recording/get_random", reply.ErrnoValue, "Failed");
        }

        var uri = new Uri(
            string.Create(
                CultureInfo.InvariantCulture,
                $"api/v2.0.0/recording/download?recording={Uri.EscapeDataString(fileName)}&random={Uri.EscapeDataString(reply.Random ?? "")}&token={Uri.EscapeDataString(token)}"),
            UriKind.Relative);
        var contentType = await RecordingFileDownload.ToFileAsync(
            httpClientFactory.CreateClient(RecordingFileDownload.HttpClientName), uri, "recording/download", path, cancellationToken);
        return RecordingFetch.Downloaded(contentType);
    }
}
