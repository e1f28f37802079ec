using System.Net;
using System.Text.Json;
using Telephony.PbxBridge.Tests.SSeries;
using PbxSim = Telephony.PbxSimulator.PbxSimulator;

namespace Telephony.PbxBridge.Tests.Simulator;

// Issue 13 §1: S-Series recordings (api.md B6, B7): recording/get_random, then a single-use download link.
public sealed class SSeriesRecordingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly object Login = new { username = "api", password = SSeriesSimulatorTests.Md5("api-password"), version = "2.0.0" };

    [Fact]
    public async Task A_random_downloads_the_recording_once_and_then_is_20012()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(SSeriesSimulatorTests.SOptions(), ct);
        using var http = new HttpClient { BaseAddress = pbx.BaseUrl };
        var token = await LoginAsync(http, ct);
        var file = await RecordedCallAsync(pbx, ct);

        var grant = await SSeriesSimulatorTests.PostAsync(http, $"api/v2.0.0/recording/get_random?token={token}", new { recording = file }, ct);
        Assert.Equal(JsonShape.Of(JsonShape.Fixture("s-recording-get-random-response.json")), JsonShape.Of(grant));
        Assert.Equal(file, grant.GetProperty("recording").GetString());
        var link = DownloadLink(file, grant.GetProperty("random").GetString()!, token);

        using (var response = await http.GetAsync(link, ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
            var audio = await response.Content.ReadAsByteArrayAsync(ct);
            Assert.Equal(pbx.Recordings[file], audio);
            Assert.Equal(TimeSpan.FromSeconds(4), WavAssert.IsPbxRecording(audio));
        }

        Assert.Equal("""{"status":"Failed","errno":"20012"}""", await http.GetStringAsync(link, ct));
        Assert.Equal(1, pbx.RecordingDownloadCount(file));

        // A random names one recording: used for another file it is invalid too.
        var other = await SSeriesSimulatorTests.PostAsync(http, $"api/v2.0.0/recording/get_random?token={token}", new { recording = file }, ct);
        Assert.Equal("""{"status":"Failed","errno":"20012"}""", await http.GetStringAsync(DownloadLink("other.wav", other.GetProperty("random").GetString()!, token), ct));
        Assert.Equal("""{"status":"Failed","errno":"20004"}""", await http.GetStringAsync(DownloadLink(file, other.GetProperty("random").GetString()!, "0123456789abcdef0123456789abcdef"), ct));
    }

    [Fact]
    public async Task Only_the_application_server_or_the_allowedip_may_download_and_others_get_20015()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(SSeriesSimulatorTests.SOptions(), ct);
        using var server = new HttpClient { BaseAddress = pbx.BaseUrl };
        using var elsewhere = SourceBoundClient.From(IPAddress.Parse("127.0.0.2"));
        elsewhere.BaseAddress = pbx.BaseUrl;
        var token = await LoginAsync(server, ct);
        var file = await RecordedCallAsync(pbx, ct);

        // No allowedip: only the IP that logged in (127.0.0.1). A refused try does not use the random up.
        var grant = await SSeriesSimulatorTests.PostAsync(server, $"api/v2.0.0/recording/get_random?token={token}", new { recording = file }, ct);
        var link = DownloadLink(file, grant.GetProperty("random").GetString()!, token);
        Assert.Equal("""{"status":"Failed","errno":"20015"}""", await elsewhere.GetStringAsync(link, ct));
        Assert.Equal(pbx.Recordings[file], await server.GetByteArrayAsync(link, ct));

        // allowedip moves the right to download to that address.
        var moved = await SSeriesSimulatorTests.PostAsync(server, $"api/v2.0.0/recording/get_random?token={token}", new { recording = file, allowedip = "127.0.0.2" }, ct);
        var movedLink = DownloadLink(file, moved.GetProperty("random").GetString()!, token);
        Assert.Equal("""{"status":"Failed","errno":"20015"}""", await server.GetStringAsync(movedLink, ct));
        Assert.Equal(pbx.Recordings[file], await elsewhere.GetByteArrayAsync(movedLink, ct));
        Assert.Equal(2, pbx.RecordingDownloadCount(file));
    }

    [Fact]
    public async Task An_unknown_or_deleted_recording_is_20014_and_the_cdr_csv_names_the_file()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(SSeriesSimulatorTests.SOptions(), ct);
        using var http = new HttpClient { BaseAddress = pbx.BaseUrl };
        var token = await LoginAsync(http, ct);

        Assert.Equal(
            """{"status":"Failed","errno":"20014"}""",
            (await SSeriesSimulatorTests.PostAsync(http, $"api/v2.0.0/recording/get_random?token={token}", new { recording = "20191024012719-1571909237.191-4000-4001-Internal.wav" }, ct)).GetRawText());
        Assert.Equal(
            """{"status":"Failed","errno":"10004"}""",
            (await SSeriesSimulatorTests.PostAsync(http, $"api/v2.0.0/recording/get_random?token={token}", new { }, ct)).GetRawText());

        var file = await RecordedCallAsync(pbx, ct);
        var grant = await SSeriesSimulatorTests.PostAsync(http, $"api/v2.0.0/recording/get_random?token={token}", new { recording = file }, ct);
        pbx.DeleteRecording(file);
        Assert.Equal("""{"status":"Failed","errno":"20014"}""", await http.GetStringAsync(DownloadLink(file, grant.GetProperty("random").GetString()!, token), ct));
        Assert.Equal(
            """{"status":"Failed","errno":"20014"}""",
            (await SSeriesSimulatorTests.PostAsync(http, $"api/v2.0.0/recording/get_random?token={token}", new { recording = file }, ct)).GetRawText());

        // B6: the bulk CDR carries the recording file name as NewCdr does.
        var zone = TimeZoneInfo.FindSystemTimeZoneById(new Telephony.PbxSimulator.PbxSimulatorOptions().TimeZone);
        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime;
        var cdrGrant = await SSeriesSimulatorTests.PostAsync(
            http,
            $"api/v2.0.0/cdr/get_random?token={token}",
            new { number = "all", starttime = now.AddHours(-1).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), endtime = now.AddHours(1).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) },
            ct);
        var csv = await http.GetStringAsync(new Uri($"api/v2.0.0/cdr/download?number=all&random={cdrGrant.GetProperty("random").GetString()}&token={token}", UriKind.Relative), ct);
        Assert.Contains($",ANSWERED,Internal,{file},", csv, StringComparison.Ordinal);
    }

    private static async Task<string> LoginAsync(HttpClient http, CancellationToken ct)
    {
        var login = await SSeriesSimulatorTests.PostAsync(http, "api/v2.0.0/login", Login, ct);
        Assert.Equal("Success", login.GetProperty("status").GetString());
        return login.GetProperty("token").GetString()!;
    }

    private static async Task<string> RecordedCallAsync(PbxSim pbx, CancellationToken ct)
    {
        var callId = pbx.StartInternalCall("1001", "1002", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), record: true);
        await pbx.WhenCallCompletedAsync(callId, ct).WaitAsync(Timeout, ct);
        var file = pbx.RecordingOf(callId);
        Assert.NotNull(file);
        return file;
    }

    private static Uri DownloadLink(string file, string random, string token) =>
        new($"api/v2.0.0/recording/download?recording={Uri.EscapeDataString(file)}&random={random}&token={token}", UriKind.Relative);
}
