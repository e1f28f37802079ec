using Microsoft.Extensions.Options;
using Telephony.PbxBridge.Fleet;
using Telephony.PbxBridge.Tests.Bridge;

namespace Telephony.PbxBridge.Tests.Fleet;

/// <summary>Fleet mode's settings: what it needs, what it refuses, and which listed PBXs it leaves alone.</summary>
public sealed class FleetBridgeOptionsTests
{
    [Fact]
    public async Task A_fleet_bridge_without_the_api_url_does_not_start_and_says_so()
    {
        var error = await StartFailsAsync(new() { ["TELEPHONY_FLEET_KEY"] = "fleet-key", ["TELEPHONY_API_URL"] = "" });

        Assert.Contains("TELEPHONY_API_URL is required in fleet mode", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("YEASTAR_HOST", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fleet_key_beside_single_pbx_settings_is_refused_naming_them()
    {
        var error = await StartFailsAsync(new()
        {
            ["TELEPHONY_FLEET_KEY"] = "fleet-key",
            ["TELEPHONY_API_URL"] = "http://127.0.0.1:9",
            ["YEASTAR_HOST"] = "pbx.example.com",
            ["TELEPHONY_BRIDGE_KEY"] = "bridge-key",
        });

        Assert.Contains("fleet mode", error.Message, StringComparison.Ordinal);
        Assert.Contains("YEASTAR_HOST, TELEPHONY_BRIDGE_KEY configure a single PBX", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shared_link_tuning_is_checked_at_start_with_the_single_pbx_rules()
    {
        var error = await StartFailsAsync(new()
        {
            ["TELEPHONY_FLEET_KEY"] = "fleet-key",
            ["TELEPHONY_API_URL"] = "http://127.0.0.1:9",
            ["YEASTAR_HEARTBEAT_INTERVAL"] = "90",
        });

        // The single-PBX validator's own wording (its source generator words a [Range] itself).
        Assert.Contains("YeastarHeartbeatInterval must be between 1 and 55", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pbx_options_come_from_its_listing_the_tuning_and_the_fleet_settings()
    {
        var fleet = new FleetBridgeOptions { FleetKey = "fleet-key", TelephonyApiUrl = "http://api:3008", BridgeId = "fleet-1", DataDir = "/var/lib/bridge" };
        var tuning = new PbxBridgeOptions { YeastarHeartbeatInterval = 7, YeastarCdrSweepSeconds = 60 };

        var options = FleetUnitOptions.Create(tuning, fleet, Listed(kind: "s-series"));

        Assert.Equal(new Uri("https://pbx.example.com:8088/"), options.GetYeastarBaseUri());
        Assert.Equal("v2.0.0", options.YeastarApiVersion);
        Assert.Equal("Europe/Moscow", options.YeastarTimezone);
        Assert.Equal(7, options.YeastarHeartbeatInterval);
        Assert.Equal(60, options.YeastarCdrSweepSeconds);
        Assert.Equal("fleet-key", options.TelephonyBridgeKey);
        Assert.Equal("main", options.TelephonyPbxId);
        Assert.Equal("fleet-1", options.BridgeId);
        Assert.Equal(Path.Combine("/var/lib/bridge", "tenant-a", "main"), options.GetDataDirectory());
        Assert.Null(FleetUnitOptions.Unservable(tuning, fleet, Listed()));
    }

    [Theory]
    [InlineData("..", null, "Europe/Moscow", "folder")]
    [InlineData("main", null, "Mars/Olympus", "YEASTAR_TIMEZONE")]
    [InlineData("main", "The stored client secret cannot be read", "Europe/Moscow", "cannot be read")]
    public void A_pbx_that_cannot_be_served_as_listed_says_why(string pbxId, string? problem, string timeZone, string expected)
    {
        var fleet = new FleetBridgeOptions { FleetKey = "fleet-key", TelephonyApiUrl = "http://api:3008" };
        var pbx = Listed(pbxId: pbxId, problem: problem, timeZone: timeZone);

        Assert.Contains(expected, FleetUnitOptions.Unservable(new PbxBridgeOptions(), fleet, pbx), StringComparison.Ordinal);
    }

    [Fact]
    public void A_pbx_without_its_secret_is_not_served()
    {
        var fleet = new FleetBridgeOptions { FleetKey = "fleet-key", TelephonyApiUrl = "http://api:3008" };

        Assert.NotNull(FleetUnitOptions.Unservable(new PbxBridgeOptions(), fleet, Listed(secret: null)));
    }

    [Fact]
    public void The_connection_version_changes_with_any_connection_field_and_only_then()
    {
        var version = Listed().ConnectionVersion();

        Assert.Equal(version, Listed().ConnectionVersion());
        Assert.NotEqual(version, Listed(secret: "rotated").ConnectionVersion());
        Assert.NotEqual(version, Listed(timeZone: "UTC").ConnectionVersion());
        Assert.DoesNotContain("client-secret", version, StringComparison.Ordinal);
    }

    private static FleetPbx Listed(string pbxId = "main", string kind = "p-series", string? secret = "client-secret", string? problem = null, string timeZone = "Europe/Moscow") => new()
    {
        TenantId = "tenant-a",
        PbxId = pbxId,
        Kind = kind,
        Host = "pbx.example.com",
        ClientId = "client",
        ClientSecret = secret,
        TimeZone = timeZone,
        Problem = problem,
    };

    private static async Task<OptionsValidationException> StartFailsAsync(Dictionary<string, string?> settings)
    {
        settings["BRIDGE_URLS"] = "http://127.0.0.1:0";
        settings["BRIDGE_DATA_DIR"] = BridgeUnderTest.NewDataDir();
        await using var app = PbxBridgeApp.Build([], settings);
        return await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
    }
}
