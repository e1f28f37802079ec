using System.Text.Json;
using System.Text.Json.Nodes;
using Telephony.Core.Yeastar;

namespace Telephony.Core.Tests.Yeastar;

/// <summary>Damaged versions of every event fixture: the parser must answer with an event or an error, never throw.</summary>
public sealed class PbxFrameParserRobustnessTests
{
    private static readonly string[] WrongValues = ["42", "-1", "1e12", "1000000000000", "true", "null", "\"\"", "\" \"", "[]", "{}", "[{}]", "\"x\""];

    public static TheoryData<string> EventFrameFixtures() =>
        new(YeastarFixtures.AllFiles().Where(YeastarFixtures.IsEventFrame));

    [Theory]
    [MemberData(nameof(EventFrameFixtures))]
    public void Truncated_frames_never_throw(string fileName)
    {
        var text = YeastarFixtures.Read(fileName);

        for (var length = 0; length < text.Length; length += 3)
        {
            AssertOneOf(PbxFrameParser.Parse(text[..length]));
        }
    }

    [Theory]
    [MemberData(nameof(EventFrameFixtures))]
    public void Every_field_replaced_by_a_wrong_value_never_throws(string fileName)
    {
        var frame = JsonNode.Parse(YeastarFixtures.Read(fileName))!.AsObject();
        var msgIsString = frame["msg"]?.GetValueKind() == JsonValueKind.String;
        var body = msgIsString ? JsonNode.Parse(frame["msg"]!.GetValue<string>())!.AsObject() : (frame["msg"] as JsonObject ?? frame);

        foreach (var path in Paths(body, ""))
        {
            foreach (var wrong in WrongValues)
            {
                var damagedBody = body.DeepClone().AsObject();
                Replace(damagedBody, path, JsonNode.Parse(wrong));
                var damaged = frame.DeepClone().AsObject();
                if (msgIsString)
                {
                    damaged["msg"] = damagedBody.ToJsonString();
                }
                else if (frame["msg"] is JsonObject)
                {
                    damaged["msg"] = damagedBody;
                }
                else
                {
                    damaged = damagedBody;
                }

                AssertOneOf(PbxFrameParser.Parse(damaged.ToJsonString()));
            }
        }
    }

    private static void AssertOneOf(PbxFrameParseResult result) =>
        Assert.True(result.Event is null ^ result.Error is null, result.ToString());

    private static IEnumerable<string> Paths(JsonNode node, string prefix)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                {
                    var path = prefix.Length == 0 ? key : $"{prefix}/{key}";
                    yield return path;
                    if (child is not null)
                    {
                        foreach (var nested in Paths(child, path))
                        {
                            yield return nested;
                        }
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var path = $"{prefix}/{i}";
                    yield return path;
                    if (array[i] is { } child)
                    {
                        foreach (var nested in Paths(child, path))
                        {
                            yield return nested;
                        }
                    }
                }

                break;
        }
    }

    private static void Replace(JsonNode root, string path, JsonNode? value)
    {
        var parts = path.Split('/');
        var parent = root;
        foreach (var part in parts[..^1])
        {
            parent = parent is JsonArray a ? a[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)]! : parent[part]!;
        }

        var last = parts[^1];
        if (parent is JsonArray array)
        {
            array[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
        else
        {
            parent[last] = value;
        }
    }
}
