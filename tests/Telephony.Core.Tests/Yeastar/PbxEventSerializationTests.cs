using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Telephony.Core.Calls;
using Telephony.Core.Yeastar;

namespace Telephony.Core.Tests.Yeastar;

/// <summary>Parsed events and call state cross grain boundaries, so the Orleans serializer must round-trip them.</summary>
public sealed class PbxEventSerializationTests
{
    private static readonly Lazy<Serializer> OrleansSerializer = new(() =>
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>());

    public static TheoryData<string> EventFrameFixtures() =>
        new(YeastarFixtures.AllFiles().Where(YeastarFixtures.IsEventFrame));

    [Theory]
    [MemberData(nameof(EventFrameFixtures))]
    public void Every_parsed_fixture_event_survives_the_orleans_serializer(string fileName)
    {
        var original = YeastarFixtures.Event(fileName);

        var copy = RoundTrip(original);

        Assert.Equal(original.GetType(), copy.GetType());
        Assert.Equal(JsonSerializer.Serialize<object>(original), JsonSerializer.Serialize<object>(copy));
    }

    [Fact]
    public void Call_state_with_legs_and_transfers_survives_the_orleans_serializer()
    {
        var at = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);
        const string call = "1648865001.300";
        var state = CallLifecycle.Apply(CallState.New(call), YeastarFixtures.Event("p-30011-answered-inbound.json", call), at, TimeZoneInfo.Utc);
        state = CallLifecycle.Apply(state, YeastarFixtures.Event("p-30013-transfer-inbound.json"), at.AddSeconds(5), TimeZoneInfo.Utc);

        var copy = RoundTrip(state);

        Assert.Equal(JsonSerializer.Serialize(state), JsonSerializer.Serialize(copy));
        Assert.Equal(state.Legs, copy.Legs);
        Assert.Equal(state.Transfers, copy.Transfers);
    }

    private static T RoundTrip<T>(T value)
        where T : class =>
        OrleansSerializer.Value.Deserialize<T>(OrleansSerializer.Value.SerializeToArray(value))
        ?? throw new InvalidOperationException("the serializer returned null");
}
