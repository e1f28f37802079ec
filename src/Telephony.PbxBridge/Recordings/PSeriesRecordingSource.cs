using Telephony.PbxBridge.PSeries;

namespace Telephony.PbxBridge.Recordings;

/// <summary>
/// A11.4: <c>recording/download?file=</c> gives a link valid 30 minutes; <c>GET {link}?access_token=</c> is the file.
/// 60001 DATA NOT FOUND means the PBX has no such recording. One download at a time (the archiver's loop), which also
/// keeps to the mp3 rule (A4: one concurrent download).
/// </summary>
internal sealed class PSeriesRecordingSource(PSeriesApiCaller api, PSeriesTokenClient tokens, IHttpClientFactory httpClientFactory) : IRecordingSource
{
    public async Task<RecordingFetch> FetchAsync(string fileName, string path, CancellationToken cancellationToken)
    {
        var link = await api.CallAsync((client, token, ct) => client.RecordingDownloadAsync(token, fileName, ct), cancellationToken);
        if (link.Errcode == YeastarErrorCodes.DataNotFound)
        {
            return RecordingFetch.Missing($"{link.Errcode} {link.Errmsg}".Trim());
        }

        if (link.Errcode != YeastarErrorCodes.Success || string.IsNullOrEmpty(link.DownloadResourceUrl))
        {
            throw new YeastarApiException("recording/download", link.Errcode, link.Errmsg ?? "no download_resource_url");
        }

        var token = await tokens.GetTokenAsync(cancellationToken);
        var separator = link.DownloadResourceUrl.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var uri = new Uri($"{link.DownloadResourceUrl.TrimStart('/')}{separator}access_token={Uri.EscapeDataString(token.AccessToken)}", UriKind.Relative);
        var contentType = await RecordingFileDownload.ToFileAsync(
            httpClientFactory.CreateClient(RecordingFileDownload.HttpClientName), uri, "recording download", path, cancellationToken);
        return RecordingFetch.Downloaded(contentType);
    }
}
