using Microsoft.Extensions.DependencyInjection;
using Telephony.PbxBridge.Tests.Bridge;
using Telephony.PbxSimulator;
using PbxSim = Telephony.PbxSimulator.PbxSimulator;

namespace Telephony.PbxBridge.Tests.Recordings;

/// <summary>
/// Issue 13 §1, the bridge's half, against the simulator (both families) and a fake API: a recording the API wants is
/// fetched from the PBX and uploaded byte for byte, downloaded once even when the API refuses it for a while, retried
/// when the PBX fails the download, and reported missing when the PBX has deleted it.
/// </summary>
public sealed class RecordingArchiverTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static TheoryData<string> Kinds => ["p-series", "s-series"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_recording_the_api_wants_is_fetched_from_the_pbx_and_uploaded_as_recorded(string kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(Options(kind), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, Settings(kind));
        var (callId, file) = await RecordedCallAsync(pbx, api, ct);

        await Eventually.UntilAsync(() => api.UploadedRecordings.ContainsKey(callId), Timeout, "the recording's upload", bridge.Logs.AllText);

        var uploaded = api.UploadedRecordings[callId];
        Assert.Equal(pbx.Recordings[file], uploaded.Audio);
        Assert.Equal("audio/wav", uploaded.ContentType);
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(uploaded.Audio, 0, 4));
        Assert.Equal(1, pbx.RecordingDownloadCount(file));
        await Eventually.UntilAsync(() => !Directory.EnumerateFiles(RecordingsFolder(bridge)).Any(), Timeout, "the bridge's copy to go");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task While_the_api_refuses_uploads_the_download_is_kept_and_uploaded_later_without_fetching_it_again(string kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(Options(kind), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        api.RecordingsUnavailable = true;
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, Settings(kind));
        var (callId, file) = await RecordedCallAsync(pbx, api, ct);

        await Eventually.UntilAsync(() => api.RejectedUploads >= 2, Timeout, "two refused uploads", bridge.Logs.AllText);
        Assert.Single(Directory.EnumerateFiles(RecordingsFolder(bridge)));
        api.RecordingsUnavailable = false;

        await Eventually.UntilAsync(() => api.UploadedRecordings.ContainsKey(callId), Timeout, "the upload once the API takes it", bridge.Logs.AllText);
        Assert.Equal(pbx.Recordings[file], api.UploadedRecordings[callId].Audio);
        Assert.Equal(1, pbx.RecordingDownloadCount(file));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Failed_downloads_are_retried_until_the_pbx_serves_the_file(string kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(Options(kind), ct);
        pbx.Faults.FailRecordingDownloads = 2;
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, Settings(kind));
        var (callId, file) = await RecordedCallAsync(pbx, api, ct);

        await Eventually.UntilAsync(() => api.UploadedRecordings.ContainsKey(callId), Timeout, "the upload after two failed downloads", bridge.Logs.AllText);
        Assert.Equal(2, pbx.Faults.FailedRecordingDownloads);
        Assert.Equal(pbx.Recordings[file], api.UploadedRecordings[callId].Audio);
        Assert.Contains(bridge.Logs.Entries, e => e.Message.Contains("not downloaded (1 failures in a row)", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_recording_the_pbx_no_longer_has_is_reported_missing_with_the_pbx_answer(string kind)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var pbx = await PbxSim.StartAsync(Options(kind), ct);
        await using var api = await FakeTelephonyApi.StartAsync();
        await using var bridge = await BridgeUnderTest.StartAsync(pbx.BaseUrl, api, Settings(kind));
        var callIdOnPbx = pbx.StartInboundCall("+79991234567", "1001", ringFor: TimeSpan.FromSeconds(1), talkFor: TimeSpan.FromSeconds(2), record: true);
        await pbx.WhenCallCompletedAsync(callIdOnPbx, ct).WaitAsync(Timeout, ct);
        var file = pbx.RecordingOf(callIdOnPbx)!;
        pbx.DeleteRecording(file);
        var callId = api.AddPendingRecording(callIdOnPbx, file);

        await Eventually.UntilAsync(() => api.MissingRecordings.ContainsKey(callId), Timeout, "the missing report", bridge.Logs.AllText);
        Assert.Equal(kind == "s-series" ? "20014 recording does not exist" : "60001 DATA NOT FOUND", api.MissingRecordings[callId]);
        Assert.Empty(api.UploadedRecordings);
    }

    // A recorded call that ended on the PBX, then listed by the API as wanted (as the API does once its CDR is logged).
    private static async Task<(Guid CallId, string File)> RecordedCallAsync(PbxSim pbx, FakeTelephonyApi api, CancellationToken ct)
    {
        var pbxCallId = pbx.StartInboundCall("+79991234567", "1001", ringFor: TimeSpan.FromSeconds(1), talkFor: TimeSpan.FromSeconds(3), record: true);
        await pbx.WhenCallCompletedAsync(pbxCallId, ct).WaitAsync(Timeout, ct);
        var file = pbx.RecordingOf(pbxCallId) ?? throw new InvalidOperationException($"call {pbxCallId} was not recorded");
        Assert.True(pbx.Recordings.ContainsKey(file));
        return (api.AddPendingRecording(pbxCallId, file), file);
    }

    private static string RecordingsFolder(BridgeUnderTest bridge) =>
        Path.Combine(bridge.App.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<PbxBridgeOptions>>().Value.GetDataDirectory(), "recordings");

    private static PbxSimulatorOptions Options(string kind)
    {
        var options = kind == "s-series" ? SSeries.SSeriesSimulatorTests.SOptions(timeScale: 10) : PbxConnectionTests.SimulatorOptions(timeScale: 10, idleTimeout: TimeSpan.FromMinutes(10));
        options.ClientId = BridgeUnderTest.ClientId;
        options.ClientSecret = BridgeUnderTest.ClientSecret;
        return options;
    }

    private static Dictionary<string, string?> Settings(string kind) => new()
    {
        ["YEASTAR_API_VERSION"] = kind == "s-series" ? "v2.0.0" : "v1.0",
        ["YEASTAR_TIMEZONE"] = new PbxSimulatorOptions().TimeZone,
        ["BRIDGE_RECORDING_POLL_SECONDS"] = "1",
    };
}
