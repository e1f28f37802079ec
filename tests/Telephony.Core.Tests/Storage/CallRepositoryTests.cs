using System.Collections.Immutable;
using Telephony.Core.Calls;
using Telephony.Core.Storage;
using Telephony.TestSupport;

namespace Telephony.Core.Tests.Storage;

public sealed class CallRepositoryTests(TestDatabase database)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Saved_call_reads_back_with_legs_and_transfers_by_uuid_and_by_pbx_call_id()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        var calls = new CallRepository(database.DataSource);
        var call = CallRecord.From(tenant.TenantId, "main", Guid.CreateVersion7(), AnsweredCall("1700000000.1", T0), "+79991234567");

        await calls.SaveAsync(call, ct);
        await calls.SaveAsync(call with { State = call.State with { Recording = "r.wav" } }, ct);

        var byUuid = await calls.FindAsync(tenant.TenantId, call.Id.ToString(), ct);
        var byPbxId = await calls.FindAsync(tenant.TenantId, "1700000000.1", ct);
        Assert.NotNull(byUuid);
        Assert.Equal(call.Id, byPbxId!.Id);
        Assert.Equal("r.wav", byUuid.State.Recording);
        Assert.Equal(CallOutcome.Answered, byUuid.State.Outcome);
        Assert.Equal(T0.AddSeconds(5), byUuid.State.AnsweredAt);
        Assert.Equal(["1001", "1002"], byUuid.State.Legs.Select(l => l.Extension));
        Assert.Equal(CallOutcome.Missed, byUuid.State.Legs[1].Outcome);
        Assert.Single(byUuid.State.Transfers);
        Assert.Equal("1003", byUuid.State.Transfers[0].To);
    }

    [Fact]
    public async Task Another_tenant_cannot_find_or_list_the_call()
    {
        var ct = TestContext.Current.CancellationToken;
        var owner = await TestTenant.CreateAsync(database);
        var other = await TestTenant.CreateAsync(database);
        var calls = new CallRepository(database.DataSource);
        var call = CallRecord.From(owner.TenantId, "main", Guid.CreateVersion7(), AnsweredCall("1700000000.2", T0), null);
        await calls.SaveAsync(call, ct);

        Assert.Null(await calls.FindAsync(other.TenantId, call.Id.ToString(), ct));
        Assert.Null(await calls.FindAsync(other.TenantId, "1700000000.2", ct));
        Assert.Equal(0, (await calls.ListAsync(other.TenantId, new CallQuery(100, 0), ct)).Total);
        Assert.Equal(1, (await calls.ListAsync(owner.TenantId, new CallQuery(100, 0), ct)).Total);
    }

    [Fact]
    public async Task History_filters_by_time_direction_outcome_extension_and_number()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        var calls = new CallRepository(database.DataSource);
        await calls.SaveAsync(CallRecord.From(tenant.TenantId, "main", Guid.CreateVersion7(), AnsweredCall("1.1", T0), "+79991234567"), ct);
        await calls.SaveAsync(CallRecord.From(tenant.TenantId, "main", Guid.CreateVersion7(), MissedCall("1.2", T0.AddDays(1)), "+79990000000"), ct);

        Assert.Equal(["1.2", "1.1"], (await calls.ListAsync(tenant.TenantId, new CallQuery(10, 0), ct)).Items.Select(c => c.State.PbxCallId));
        Assert.Equal(["1.1"], Ids(await calls.ListAsync(tenant.TenantId, new CallQuery(10, 0, To: T0.AddHours(1)), ct)));
        Assert.Equal(["1.2"], Ids(await calls.ListAsync(tenant.TenantId, new CallQuery(10, 0, Status: "missed"), ct)));
        Assert.Equal(["1.1"], Ids(await calls.ListAsync(tenant.TenantId, new CallQuery(10, 0, PhoneE164: "+79991234567"), ct)));
        Assert.Equal(["1.1"], Ids(await calls.ListAsync(tenant.TenantId, new CallQuery(10, 0, Extension: "1002"), ct)));
        Assert.Empty(Ids(await calls.ListAsync(tenant.TenantId, new CallQuery(10, 0, Direction: "outbound"), ct)));
        var page = await calls.ListAsync(tenant.TenantId, new CallQuery(1, 1), ct);
        Assert.Equal(2, page.Total);
        Assert.Equal(["1.1"], Ids(page));
    }

    [Fact]
    public async Task Active_calls_are_those_not_ended()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        var calls = new CallRepository(database.DataSource);
        await calls.SaveAsync(CallRecord.From(tenant.TenantId, "main", Guid.CreateVersion7(), AnsweredCall("2.1", T0), null), ct);
        var ringing = CallState.New("2.2") with { Status = CallStatus.Ringing, StartedAt = T0, LastEventAt = T0, Direction = CallDirection.Inbound };
        await calls.SaveAsync(CallRecord.From(tenant.TenantId, "main", Guid.CreateVersion7(), ringing, null), ct);

        Assert.Equal(["2.2"], (await calls.ListActiveAsync(tenant.TenantId, ct)).Select(c => c.State.PbxCallId));
    }

    private static string[] Ids(CallPage page) => [.. page.Items.Select(c => c.State.PbxCallId)];

    private static CallState AnsweredCall(string id, DateTimeOffset start) => CallState.New(id) with
    {
        Direction = CallDirection.Inbound,
        Status = CallStatus.Ended,
        Outcome = CallOutcome.Answered,
        From = "89991234567",
        To = "6300",
        ExternalNumber = "89991234567",
        Extension = "1001",
        StartedAt = start,
        AnsweredAt = start.AddSeconds(5),
        EndedAt = start.AddSeconds(65),
        RingSeconds = 5,
        TalkSeconds = 60,
        DurationSeconds = 65,
        HasCdr = true,
        LastEventAt = start.AddSeconds(65),
        Legs = [new CallLeg("1001", start, start.AddSeconds(5), start.AddSeconds(65), CallOutcome.Answered), new CallLeg("1002", start, null, start.AddSeconds(5), CallOutcome.Missed)],
        Transfers = ImmutableList.Create(new CallTransfer("1001", "1003", start.AddSeconds(30), "transfer")),
    };

    private static CallState MissedCall(string id, DateTimeOffset start) => CallState.New(id) with
    {
        Direction = CallDirection.Inbound,
        Status = CallStatus.Ended,
        Outcome = CallOutcome.Missed,
        ExternalNumber = "89990000000",
        Extension = "1001",
        StartedAt = start,
        EndedAt = start.AddSeconds(20),
        RingSeconds = 20,
        TalkSeconds = 0,
        DurationSeconds = 20,
        HasCdr = true,
        LastEventAt = start.AddSeconds(20),
    };
}
