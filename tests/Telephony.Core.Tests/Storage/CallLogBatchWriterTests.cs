using Telephony.Core.Calls;
using Telephony.Core.Storage;
using Telephony.TestSupport;

namespace Telephony.Core.Tests.Storage;

public sealed class CallLogBatchWriterTests(TestDatabase database)
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task One_save_writes_every_call_with_its_own_legs_and_a_later_save_replaces_them()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        var writer = new CallLogBatchWriter(database.DataSource);
        var calls = new CallRepository(database.DataSource);
        var ringing = Enumerable.Range(0, 300).Select(i => CallRecord.From(tenant.TenantId, "main", Guid.CreateVersion7(), RingingGroup($"1700000000.{i}", T0.AddSeconds(i)), $"+7999000{i:D4}")).ToList();

        await writer.SaveAsync(ringing, ct);
        var answered = ringing.Select(c => c with { State = Answered(c.State) }).ToList();
        await writer.SaveAsync(answered, ct);

        var page = await calls.ListAsync(tenant.TenantId, new CallQuery(1000, 0), ct);
        Assert.Equal(300, page.Total);
        Assert.All(page.Items, c =>
        {
            Assert.Equal(CallStatus.Answered, c.State.Status);
            Assert.Equal(["1001", "1002", "1003"], c.State.Legs.Select(l => l.Extension).Order());
            Assert.Equal(CallOutcome.Answered, c.State.Legs.Single(l => l.Extension == "1002").Outcome);
        });
        Assert.Equal("+79990000123", page.Items.Single(c => c.State.PbxCallId == "1700000000.123").ExternalE164);
    }

    [Fact]
    public async Task A_call_saved_without_a_customer_keeps_the_one_linked_before()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        var writer = new CallLogBatchWriter(database.DataSource);
        var calls = new CallRepository(database.DataSource);
        var call = CallRecord.From(tenant.TenantId, "main", Guid.CreateVersion7(), RingingGroup("1700000001.1", T0), "+79991234567");
        await writer.SaveAsync([call with { Customer = new CallCustomer("c-1", "Anna", "+79991234567") }], ct);

        await writer.SaveAsync([call with { State = Answered(call.State) }], ct);

        var stored = await calls.FindAsync(tenant.TenantId, call.Id.ToString(), ct);
        Assert.Equal(new CallCustomer("c-1", "Anna", "+79991234567"), stored!.Customer);
        Assert.Equal(CallStatus.Answered, stored.State.Status);
    }

    private static CallState RingingGroup(string id, DateTimeOffset start) => CallState.New(id) with
    {
        Direction = CallDirection.Inbound,
        Status = CallStatus.Ringing,
        ExternalNumber = "89991234567",
        RingGroup = "6300",
        StartedAt = start,
        LastEventAt = start,
        Legs = [new CallLeg("1001", start, null, null, null), new CallLeg("1002", start, null, null, null), new CallLeg("1003", start, null, null, null)],
    };

    private static CallState Answered(CallState ringing) => ringing with
    {
        Status = CallStatus.Answered,
        Extension = "1002",
        AnsweredAt = ringing.StartedAt!.Value.AddSeconds(4),
        LastEventAt = ringing.StartedAt!.Value.AddSeconds(4),
        Legs =
        [
            new CallLeg("1001", ringing.StartedAt!.Value, null, ringing.StartedAt!.Value.AddSeconds(4), CallOutcome.Missed),
            new CallLeg("1002", ringing.StartedAt!.Value, ringing.StartedAt!.Value.AddSeconds(4), null, CallOutcome.Answered),
            new CallLeg("1003", ringing.StartedAt!.Value, null, ringing.StartedAt!.Value.AddSeconds(4), CallOutcome.Missed),
        ],
    };
}
