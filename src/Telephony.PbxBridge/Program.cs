namespace Telephony.PbxBridge;

internal static class Program
{
    private static void Main() { }
}
