using System.Text;
using CsCheck;
using Telephony.Core.Calls;
using Telephony.Core.Yeastar;

namespace Telephony.Core.Tests.Yeastar;

/// <summary>Random and mutated frames: the parser never throws, and a parsed event never breaks the lifecycle.</summary>
public sealed class PbxFrameParserPropertyTests
{
    private static readonly string[] EventFrames = [.. YeastarFixtures.AllFiles().Where(f => YeastarFixtures.IsEventFrame(Path.GetFileName(f))).Select(YeastarFixtures.Read)];

    [Fact]
    public void Random_text_never_throws_and_yields_an_event_or_an_error()
    {
        Gen.String.Sample(frame => AssertWellFormed(PbxFrameParser.Parse(frame)), iter: 5_000);
    }

    [Fact]
    public void Mutated_fixture_frames_never_throw_and_never_crash_the_lifecycle()
    {
        var mutation =
            from frame in Pick(EventFrames)
            from position in Gen.Int[0, 10_000]
            from length in Gen.Int[0, 12]
            from insert in Gen.String[Gen.Char["{}[]\":,\\0123456789-.eE abcnrtul"], 0, 12]
            select Mutate(frame, position, length, insert);

        mutation.Sample(frame =>
        {
            var result = PbxFrameParser.Parse(frame);
            AssertWellFormed(result);
            if (result.Event is { } parsed)
            {
                var state = CallLifecycle.Apply(CallState.New("1648861726.280"), parsed, DateTimeOffset.UtcNow, TimeZoneInfo.Utc);
                CallLifecycle.FinalizeWithoutCdr(state, DateTimeOffset.UtcNow);
            }
        }, iter: 5_000);
    }

    [Fact]
    public void Backfill_rows_of_random_json_never_throw()
    {
        var json = from key in Pick("call_id", "time", "timestamp", "call_from", "call_to", "duration", "talk_duration", "disposition", "call_type", "x")
                   from value in Gen.OneOf(Gen.String.Select(s => "\"" + s.Replace("\\", "", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal) + "\""), Gen.Long.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)), Gen.Const("null"), Gen.Const("[]"))
                   select $"\"{key}\":{value}";
        json.Array[0, 10].Select(pairs => "{" + string.Join(',', pairs) + "}").Sample(frame => AssertWellFormed(PbxFrameParser.Parse(frame, PbxFrameParser.CdrBackfillSource)), iter: 3_000);
    }

    private static void AssertWellFormed(PbxFrameParseResult result) =>
        Assert.True(result.Event is null != (result.Error is null), "exactly one of Event and Error");

    private static string Mutate(string frame, int position, int length, string insert)
    {
        var at = position % (frame.Length + 1);
        var cut = Math.Min(length, frame.Length - at);
        return new StringBuilder(frame).Remove(at, cut).Insert(at, insert).ToString();
    }

    private static Gen<T> Pick<T>(params T[] items) => Gen.Int[0, items.Length - 1].Select(i => items[i]);
}
