namespace Telephony.PbxBridge;

internal static class Program
{
    private static async Task Main(string[] args) => await PbxBridgeApp.Build(args).RunAsync();
}
