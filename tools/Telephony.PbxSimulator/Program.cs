namespace Telephony.PbxSimulator;

internal static class Program
{
    private static void Main() { }
}
