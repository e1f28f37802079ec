using System.Text.Json;

namespace Telephony.PbxBridge.Tests.Simulator;

// Structural fingerprint of a JSON value: property names in order and value kinds, so simulator payloads can be
// compared with the Yeastar fixtures without comparing the values themselves.
internal static class JsonShape
{
    public static string Of(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().Select(p => $"{p.Name}:{Of(p.Value)}")) + "}",

        // Distinct element shapes, so arrays of different lengths with the same kinds of items compare equal.
        JsonValueKind.Array => "[" + string.Join("|", element.EnumerateArray().Select(Of).Distinct().Order(StringComparer.Ordinal)) + "]",
        JsonValueKind.String => "s",
        JsonValueKind.Number => "n",
        JsonValueKind.True or JsonValueKind.False => "b",
        _ => "null",
    };

    public static JsonElement Fixture(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Telephony.TestSupport.FixturePaths.Folder, name))).RootElement.Clone();

    // Envelope shape plus the shape of the decoded msg.
    public static void AssertFrameMatches(string fixture, JsonElement frame)
    {
        var expected = Fixture(fixture);
        Assert.Equal(Of(expected), Of(frame));
        Assert.Equal(Of(SimulatorClient.Msg(expected)), Of(SimulatorClient.Msg(frame)));
    }
}
