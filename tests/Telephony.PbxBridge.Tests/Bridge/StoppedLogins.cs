namespace Telephony.PbxBridge.Tests.Bridge;

/// <summary>What a bridge that stopped logging in (<see cref="LoginGuard"/>) must show, for either PBX kind.</summary>
internal static class StoppedLogins
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task AssertStoppedBeforeTheIpBlockAsync(
        PbxSimulator.PbxSimulator pbx, FakeTelephonyApi api, BridgeUnderTest bridge, int refusalErrcode)
    {
        await Eventually.UntilAsync(
            () => api.Links.Any(l => !l.Connected && l.Reason?.Contains("restart the bridge", StringComparison.Ordinal) == true),
            Timeout,
            "a link report that the bridge stopped logging in",
            bridge.Logs.AllText);

        // A dial command needs a token too; once stopped it is answered with the refusal, without another login.
        var commandId = api.EnqueueDial("1001", "1002");
        await Eventually.UntilAsync(() => api.CommandResults.Any(r => r.CommandId == commandId), Timeout, "the dial result", bridge.Logs.AllText);
        Assert.Equal(refusalErrcode, api.CommandResults.Single(r => r.CommandId == commandId).Errcode);
        Assert.Equal(LoginGuard.MaxRefusalsInARow, pbx.Faults.RefusedLogins);
        Assert.Equal(0, pbx.Faults.IpLockouts);
        Assert.False(pbx.Faults.IsAnyIpLocked);
    }
}
