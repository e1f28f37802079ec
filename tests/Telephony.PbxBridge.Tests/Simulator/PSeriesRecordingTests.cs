using System.Diagnostics;
using System.Net;
using Telephony.PbxSimulator;
using PbxSim = Telephony.PbxSimulator.PbxSimulator;

namespace Telephony.PbxBridge.Tests.Simulator;

// Issue 13 §1: the simulator records calls and serves them as A11.4 describes (recording/download, then the URL).
public sealed class PSeriesRecordingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static PbxSimulatorOptions Fast() => new() { TimeScale = 30, Seed = 5 };

    [Fact]
    public async Task A_recorded_call_names_its_file_in_30012_and_cdr_search_and_the_url_serves_its_wav()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(Fast(), ct);
        using var client = new SimulatorClient(pbx);
        var token = await client.GetTokenAsync(ct);
        using var socket = await client.SubscribeAsync(token, [30012], ct);

        var recorded = pbx.StartInternalCall("1001", "1002", TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3), record: true);
        var cdr = SimulatorClient.Msg((await SimulatorClient.CollectCallAsync(socket, recorded, ct)).Single());
        var plain = pbx.StartInternalCall("1003", "1004", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var plainCdr = SimulatorClient.Msg((await SimulatorClient.CollectCallAsync(socket, plain, ct)).Single());

        // A8.2's example: {answer time, PBX local}-{call_id}-{from}-{to}-{type}.wav.
        var file = cdr.GetProperty("recording").GetString()!;
        Assert.Matches($"^[0-9]{{14}}-{recorded.Replace(".", "\\.", StringComparison.Ordinal)}-1001-1002-Internal\\.wav$", file);
        Assert.Equal(file, pbx.RecordingOf(recorded));
        Assert.Equal(file, pbx.Calls.Single(c => c.CallId == recorded).Recording);
        Assert.Equal(string.Empty, plainCdr.GetProperty("recording").GetString());
        Assert.Null(pbx.RecordingOf(plain));
        Assert.Null(pbx.Calls.Single(c => c.CallId == plain).Recording);
        Assert.Equal([file], pbx.Recordings.Keys);

        var rows = (await client.GetAsync($"openapi/v1.0/cdr/search?access_token={token}", ct)).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(file, rows.Single(r => r.GetProperty("call_id").GetString() == recorded).GetProperty("record_file").GetString());
        Assert.Equal(string.Empty, rows.Single(r => r.GetProperty("call_id").GetString() == plain).GetProperty("record_file").GetString());

        var link = await client.GetAsync($"openapi/v1.0/recording/download?file={Uri.EscapeDataString(file)}&access_token={token}", ct);
        Assert.Equal(0, link.GetProperty("errcode").GetInt32());
        Assert.Equal(file, link.GetProperty("file").GetString());
        var url = link.GetProperty("download_resource_url").GetString()!;
        Assert.Matches("^/api/download/Recording-.+\\.wav$", url);

        using var response = await client.Http.GetAsync(new Uri($"{url}?access_token={token}", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
        var audio = await response.Content.ReadAsByteArrayAsync(ct);
        Assert.Equal(audio.Length, response.Content.Headers.ContentLength);
        Assert.Equal(pbx.Recordings[file], audio);

        // The audio lasts the talk time (3 s), and the URL serves it again while it is valid (30 minutes).
        Assert.Equal(TimeSpan.FromSeconds(3), WavAssert.IsPbxRecording(audio));
        Assert.Equal(audio, await client.Http.GetByteArrayAsync(new Uri($"{url}?access_token={token}", UriKind.Relative), ct));
        Assert.Equal(2, pbx.RecordingDownloadCount(file));

        // The URL wants a valid access token like every Open API call.
        var noToken = await client.GetAsync($"{url}?access_token=nope", ct);
        Assert.Equal(10004, noToken.GetProperty("errcode").GetInt32());
        Assert.Equal(2, pbx.RecordingDownloadCount(file));
    }

    [Fact]
    public async Task The_download_url_is_refused_after_thirty_simulated_minutes_and_long_calls_give_five_seconds()
    {
        var ct = TestContext.Current.CancellationToken;

        // 1800 simulated seconds per real second: the URL's 30 minutes pass in one real second; the tokens live longer.
        await using var pbx = await PbxSim.StartAsync(
            new PbxSimulatorOptions { TimeScale = 1800, Seed = 5, AccessTokenLifetime = TimeSpan.FromDays(30), RefreshTokenLifetime = TimeSpan.FromDays(60) }, ct);
        using var client = new SimulatorClient(pbx);
        var token = await client.GetTokenAsync(ct);
        var callId = pbx.StartInboundCall("89161234567", "1003", TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(10), record: true);
        await pbx.WhenCallCompletedAsync(callId, ct).WaitAsync(Timeout, ct);
        var file = pbx.RecordingOf(callId)!;
        Assert.EndsWith("-89161234567-1003-Inbound.wav", file, StringComparison.Ordinal);

        var issued = Stopwatch.StartNew();
        var link = await client.GetAsync($"openapi/v1.0/recording/download?file={Uri.EscapeDataString(file)}&access_token={token}", ct);
        var resource = new Uri($"{link.GetProperty("download_resource_url").GetString()}?access_token={token}", UriKind.Relative);
        var audio = await client.Http.GetByteArrayAsync(resource, ct);
        Assert.Equal(TimeSpan.FromSeconds(5), WavAssert.IsPbxRecording(audio));

        HttpStatusCode status;
        string body;
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        do
        {
            Assert.True(issued.Elapsed < Timeout, "the URL expired in time");
            await poll.WaitForNextTickAsync(ct);
            using var response = await client.Http.GetAsync(resource, ct);
            status = response.StatusCode;
            body = await response.Content.ReadAsStringAsync(ct);
        }
        while (status == HttpStatusCode.OK);

        Assert.True(issued.Elapsed >= TimeSpan.FromSeconds(1), "refused only after 30 simulated minutes (one real second)");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("""{"errcode":60001,"errmsg":"DATA NOT FOUND"}""", body);

        // A new request gives a new, valid URL.
        var again = await client.GetAsync($"openapi/v1.0/recording/download?file={Uri.EscapeDataString(file)}&access_token={token}", ct);
        Assert.NotEqual(link.GetProperty("download_resource_url").GetString(), again.GetProperty("download_resource_url").GetString());
        Assert.Equal(audio, await client.Http.GetByteArrayAsync(new Uri($"{again.GetProperty("download_resource_url").GetString()}?access_token={token}", UriKind.Relative), ct));
    }

    [Fact]
    public async Task An_unknown_or_deleted_recording_is_data_not_found()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(Fast(), ct);
        using var client = new SimulatorClient(pbx);
        var token = await client.GetTokenAsync(ct);

        var unknown = await client.GetAsync($"openapi/v1.0/recording/download?file=20220427190445-1651057476.362-2005-2002-Internal.wav&access_token={token}", ct);
        Assert.Equal("""{"errcode":60001,"errmsg":"DATA NOT FOUND"}""", unknown.GetRawText());
        var missing = await client.GetAsync($"openapi/v1.0/recording/download?access_token={token}", ct);
        Assert.Equal("file", missing.GetProperty("invalid_param_list")[0].GetProperty("field").GetString());
        Assert.Equal(10004, (await client.GetAsync("openapi/v1.0/recording/download?file=x.wav&access_token=nope", ct)).GetProperty("errcode").GetInt32());

        var callId = pbx.StartOutboundCall("1001", "89160000001", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), record: true);
        await pbx.WhenCallCompletedAsync(callId, ct).WaitAsync(Timeout, ct);
        var file = pbx.RecordingOf(callId)!;
        var link = await client.GetAsync($"openapi/v1.0/recording/download?file={Uri.EscapeDataString(file)}&access_token={token}", ct);
        Assert.Equal(0, link.GetProperty("errcode").GetInt32());

        pbx.DeleteRecording(file);

        Assert.Empty(pbx.Recordings);
        Assert.Equal(60001, (await client.GetAsync($"openapi/v1.0/recording/download?file={Uri.EscapeDataString(file)}&access_token={token}", ct)).GetProperty("errcode").GetInt32());
        using var gone = await client.Http.GetAsync(new Uri($"{link.GetProperty("download_resource_url").GetString()}?access_token={token}", UriKind.Relative), ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(0, pbx.RecordingDownloadCount(file));

        // The CDR still names the file, as a real PBX's does after the file is cleaned up.
        Assert.Equal(file, pbx.RecordingOf(callId));
    }

    [Fact]
    public async Task One_at_a_time_refuses_a_concurrent_download_and_injected_failures_answer_503()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(Fast(), ct);
        using var client = new SimulatorClient(pbx);
        var token = await client.GetTokenAsync(ct);
        var callId = pbx.StartInternalCall("1001", "1002", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), record: true);
        await pbx.WhenCallCompletedAsync(callId, ct).WaitAsync(Timeout, ct);
        var file = pbx.RecordingOf(callId)!;
        var link = await client.GetAsync($"openapi/v1.0/recording/download?file={Uri.EscapeDataString(file)}&access_token={token}", ct);
        var resource = new Uri($"{link.GetProperty("download_resource_url").GetString()}?access_token={token}", UriKind.Relative);

        pbx.Faults.RecordingDownloadsOneAtATime = true;
        pbx.Faults.RecordingDownloadDelay = TimeSpan.FromSeconds(2);
        var first = client.Http.GetByteArrayAsync(resource, ct);
        await Eventually.UntilAsync(() => pbx.RecordingDownloadsInFlight == 1, Timeout, "the first download in flight");

        var second = await client.GetAsync(resource.OriginalString, ct);
        Assert.Equal("""{"errcode":70082,"errmsg":"OVERLOAD_TASK_RUNNING"}""", second.GetRawText());
        Assert.Equal(pbx.Recordings[file], await first);
        Assert.Equal(1, pbx.RecordingDownloadCount(file));

        // Without the switch two downloads may overlap.
        pbx.Faults.RecordingDownloadsOneAtATime = false;
        pbx.Faults.RecordingDownloadDelay = TimeSpan.FromMilliseconds(300);
        var both = await Task.WhenAll(client.Http.GetByteArrayAsync(resource, ct), client.Http.GetByteArrayAsync(resource, ct));
        Assert.All(both, audio => Assert.Equal(pbx.Recordings[file], audio));
        Assert.Equal(3, pbx.RecordingDownloadCount(file));

        pbx.Faults.RecordingDownloadDelay = TimeSpan.Zero;
        pbx.Faults.FailRecordingDownloads = 2;
        for (var i = 0; i < 2; i++)
        {
            using var failed = await client.Http.GetAsync(resource, ct);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        }

        Assert.Equal(pbx.Recordings[file], await client.Http.GetByteArrayAsync(resource, ct));
        Assert.Equal((2L, 0, 4), (pbx.Faults.FailedRecordingDownloads, pbx.Faults.FailRecordingDownloads, pbx.RecordingDownloadCount(file)));
    }

    [Fact]
    public async Task Recording_share_records_some_answered_calls_and_never_an_unanswered_one()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(new PbxSimulatorOptions { TimeScale = 300, Seed = 11, RecordingShare = 0.5 }, ct);
        var answered = new List<string>();
        var missed = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var id = pbx.StartInternalCall("1001", "1002", TimeSpan.FromSeconds(1), i % 4 == 3 ? null : TimeSpan.FromSeconds(1));
            (i % 4 == 3 ? missed : answered).Add(id);
            await pbx.WhenCallCompletedAsync(id, ct).WaitAsync(Timeout, ct);
        }

        var recorded = answered.Count(id => pbx.RecordingOf(id) is not null);
        Assert.InRange(recorded, 1, answered.Count - 1);
        Assert.All(missed, id => Assert.Null(pbx.RecordingOf(id)));
        Assert.Equal(recorded, pbx.Recordings.Count);
        Assert.Equal(recorded, pbx.Recordings.Keys.Distinct(StringComparer.Ordinal).Count());

        var forced = pbx.StartInternalCall("1003", "1004", TimeSpan.FromSeconds(1), talkFor: null, record: true);
        await pbx.WhenCallCompletedAsync(forced, ct).WaitAsync(Timeout, ct);
        Assert.Null(pbx.RecordingOf(forced));
    }
}
