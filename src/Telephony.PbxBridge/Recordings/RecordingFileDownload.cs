using System.Net.Http.Headers;

namespace Telephony.PbxBridge.Recordings;

/// <summary>
/// The second step of both families: GET the file link and write it to disk. A PBX answers errors on these links as
/// JSON (an Open API errcode, an S-Series errno), never as audio, so a JSON body is an error whatever the status.
/// </summary>
internal static class RecordingFileDownload
{
    /// <summary>The HttpClient of recording transfers: no resilience handler (an S-Series link is single-use, and a
    /// whole recording can take longer than its attempt timeout), the PBX's base address and TLS pin.</summary>
    public const string HttpClientName = "YeastarRecordings";

    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(10);

    /// <returns>The content type of what was written.</returns>
    /// <exception cref="YeastarApiException">The PBX answered an error instead of the file.</exception>
    public static async Task<string> ToFileAsync(HttpClient http, Uri link, string operation, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(link, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase) || mediaType?.StartsWith("text/", StringComparison.OrdinalIgnoreCase) == true)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new YeastarApiException($"Yeastar {operation} answered HTTP {(int)response.StatusCode} instead of the file: {Truncate(body)}");
        }

        response.EnsureSuccessStatusCode();
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, useAsync: true))
        {
            await response.Content.CopyToAsync(file, cancellationToken);
            await file.FlushAsync(cancellationToken);
        }

        return ContentTypeOf(response.Content.Headers.ContentType, path);
    }

    // What the PBX said, else what the file name says: .mp3 when the PBX records mp3, WAV otherwise.
    private static string ContentTypeOf(MediaTypeHeaderValue? header, string path) =>
        header?.MediaType is { } type && type.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)
            ? type
            : path.EndsWith(".mp3", StringComparison.OrdinalIgnoreCase) ? "audio/mpeg" : "audio/wav";

    private static string Truncate(string body) => body.Length <= 200 ? body : body[..200];
}
