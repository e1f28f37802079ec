using Dapper;
using Telephony.Core.Calls;
using Telephony.Core.Storage;
using Telephony.TestSupport;

namespace Telephony.Core.Tests.Storage;

// Issue 10: keyset paging, a capped total, and filters that match through legs and notes.
public sealed class CallHistoryPagingTests(TestDatabase database)
{
    private static readonly DateTimeOffset T0 = new(2026, 4, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Following_next_cursor_returns_every_call_once_in_history_order_like_offset_paging()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        var random = new RandomCalls(3, tenant.TenantId, T0, TimeSpan.FromHours(2));
        var calls = Enumerable.Range(0, 120).Select(_ => random.Ended()).ToList();

        // Ties on the start, and calls without a start (they come last).
        calls.AddRange(calls.Take(10).Select(c => CallRecord.From(tenant.TenantId, "main", Guid.NewGuid(), c.State with { PbxCallId = c.State.PbxCallId + "b" }, c.ExternalE164)));
        calls.AddRange(calls.Take(5).Select(c => CallRecord.From(tenant.TenantId, "main", Guid.NewGuid(), c.State with { PbxCallId = c.State.PbxCallId + "n", StartedAt = null }, c.ExternalE164)));
        await new CallLogBatchWriter(database.DataSource).SaveAsync(calls, ct);
        var repository = new CallRepository(database.DataSource);

        var expected = calls.OrderByDescending(c => c.State.StartedAt ?? DateTimeOffset.MinValue).ThenBy(c => c.Id).Select(c => c.Id).ToList();
        var byOffset = new List<Guid>();
        for (var offset = 0; offset < calls.Count; offset += 7)
        {
            byOffset.AddRange((await repository.ListAsync(tenant.TenantId, new CallQuery(7, offset), ct)).Items.Select(c => c.Id));
        }

        var byCursor = new List<Guid>();
        CallPage page;
        CallCursor? cursor = null;
        do
        {
            page = await repository.ListAsync(tenant.TenantId, new CallQuery(7, 0, After: cursor), ct);
            byCursor.AddRange(page.Items.Select(c => c.Id));
            Assert.Equal(calls.Count, page.Total);
            Assert.False(page.TotalCapped);
            cursor = page.Next is null ? null : CallCursor.TryParse(page.Next.Encode(), out var parsed) ? parsed : throw new InvalidOperationException("cursor did not read back");
        }
        while (cursor is not null);

        Assert.Equal(expected, byOffset);
        Assert.Equal(expected, byCursor);
        Assert.Equal(expected, await ToListAsync(repository.StreamAsync(tenant.TenantId, new CallQuery(1, 0), ct), ct));
    }

    [Fact]
    public async Task Extension_filter_pages_through_handled_calls_and_calls_that_rang_the_phone_once_each()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        var random = new RandomCalls(5, tenant.TenantId, T0, TimeSpan.FromHours(3));
        var calls = Enumerable.Range(0, 150).Select(_ => random.Ended()).ToList();
        await new CallLogBatchWriter(database.DataSource).SaveAsync([.. calls.Select(RandomCalls.Ringing)], ct);
        await new CallLogBatchWriter(database.DataSource).SaveAsync(calls, ct);

        // Some calls move earlier (a reordered frame, a CDR): each must still be found once, at its new place.
        var moved = calls.Where((_, i) => i % 4 == 0).Select(c => c with { State = c.State with { StartedAt = c.State.StartedAt!.Value.AddMinutes(-30) } }).ToList();
        await new CallLogBatchWriter(database.DataSource).SaveAsync(moved, ct);
        calls = [.. calls.Select(c => moved.FirstOrDefault(m => m.Id == c.Id) ?? c)];
        var repository = new CallRepository(database.DataSource);

        foreach (var extension in new[] { "1002", "1004" })
        {
            var expected = calls.Where(c => c.State.Extension == extension || c.State.Legs.Any(l => l.Extension == extension))
                .OrderByDescending(c => c.State.StartedAt).ThenBy(c => c.Id).Select(c => c.Id).ToList();
            var seen = new List<Guid>();
            CallCursor? cursor = null;
            do
            {
                var page = await repository.ListAsync(tenant.TenantId, new CallQuery(9, 0, Extension: extension, After: cursor), ct);
                Assert.Equal(expected.Count, page.Total);
                seen.AddRange(page.Items.Select(c => c.Id));
                cursor = page.Next;
            }
            while (cursor is not null);

            Assert.Equal(expected, seen);
            var secondPage = await repository.ListAsync(tenant.TenantId, new CallQuery(9, 9, Extension: extension), ct);
            Assert.Equal(expected.Skip(9).Take(9), secondPage.Items.Select(c => c.Id));
        }
    }

    [Fact]
    public async Task Text_search_matches_numbers_customer_names_notes_and_extensions_but_not_across_fields()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        var random = new RandomCalls(9, tenant.TenantId, T0, TimeSpan.FromHours(1));
        var calls = Enumerable.Range(0, 40).Select(_ => random.Ended()).ToList();
        await new CallLogBatchWriter(database.DataSource).SaveAsync(calls, ct);
        var repository = new CallRepository(database.DataSource);
        await repository.SetCustomerAsync(tenant.TenantId, calls[3].Id, new CallCustomer("c-1", "Anna Petrova", calls[3].ExternalE164), ct);
        await repository.AddNoteAsync(tenant.TenantId, calls[7].Id, new CallNote(Guid.NewGuid(), "Allergy to peanuts: 100% sure", "op", T0), ct);
        await repository.AddNoteAsync(tenant.TenantId, calls[7].Id, new CallNote(Guid.NewGuid(), "allergy again", "op", T0), ct);

        async Task<List<Guid>> SearchAsync(string text) =>
            [.. (await repository.ListAsync(tenant.TenantId, new CallQuery(100, 0, Text: text), ct)).Items.Select(c => c.Id)];

        Assert.Equal([calls[3].Id], await SearchAsync("petrov"));
        Assert.Equal([calls[7].Id], await SearchAsync("ALLERGY"));
        Assert.Equal([calls[7].Id], await SearchAsync("100%"));
        Assert.Empty(await SearchAsync("100_"));
        Assert.Empty(await SearchAsync("Petrova 1001"));

        var number = calls[11].ExternalE164!;
        var byNumber = calls.Where(c => (c.State.ExternalNumber ?? "").Contains(number[5..11], StringComparison.Ordinal) || (c.ExternalE164 ?? "").Contains(number[5..11], StringComparison.Ordinal)
                                        || (c.State.From ?? "").Contains(number[5..11], StringComparison.Ordinal) || (c.State.To ?? "").Contains(number[5..11], StringComparison.Ordinal))
            .OrderByDescending(c => c.State.StartedAt).ThenBy(c => c.Id).Select(c => c.Id).ToList();
        Assert.Equal(byNumber, await SearchAsync(number[5..11]));

        var handledBy1003 = calls.Where(c => (c.State.Extension ?? "").Contains("03", StringComparison.Ordinal) || (c.State.From ?? "").Contains("03", StringComparison.Ordinal)
                                             || (c.State.To ?? "").Contains("03", StringComparison.Ordinal) || (c.State.ExternalNumber ?? "").Contains("03", StringComparison.Ordinal)
                                             || (c.ExternalE164 ?? "").Contains("03", StringComparison.Ordinal))
            .OrderByDescending(c => c.State.StartedAt).ThenBy(c => c.Id).Select(c => c.Id).ToList();
        Assert.Equal(handledBy1003, await SearchAsync("03"));

        // The handling extension is matched as it is now, not as the call was first written.
        var handedOver = calls[5] with { State = calls[5].State with { Extension = "1777" } };
        await new CallLogBatchWriter(database.DataSource).SaveAsync([handedOver], ct);
        Assert.Equal([calls[5].Id], await SearchAsync("1777"));
        Assert.Equal([calls[5].Id], await SearchAsync("77"));

        var withExtension = await repository.ListAsync(tenant.TenantId, new CallQuery(100, 0, Extension: calls[7].State.Extension, Text: "allergy"), ct);
        Assert.Equal([calls[7].Id], withExtension.Items.Select(c => c.Id));
    }

    [Fact]
    public async Task Total_is_exact_up_to_the_cap_and_says_so_beyond_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var tenant = await TestTenant.CreateAsync(database);
        await using (var connection = await database.DataSource.OpenConnectionAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                insert into call_logs (tenant_id, id, pbx_id, pbx_call_id, direction, status, outcome, from_number, started_at, last_event_at)
                select @TenantId, gen_random_uuid(), 'main', 'bulk.' || i, case when i % 100 = 0 then 'internal' else 'inbound' end,
                       'ended', 'answered', '8999' || lpad(i::text, 7, '0'), @T0::timestamptz + i * interval '1 second', now()
                from generate_series(1, @Count) i
                """,
                new { tenant.TenantId, T0, Count = CallRepository.TotalCap + 1 }, cancellationToken: ct));
        }

        var repository = new CallRepository(database.DataSource);
        var all = await repository.ListAsync(tenant.TenantId, new CallQuery(10, 0), ct);
        Assert.Equal(CallRepository.TotalCap, all.Total);
        Assert.True(all.TotalCapped);
        Assert.NotNull(all.Next);

        // Common text: more matches than the cap, so the page walks history order.
        var common = await repository.ListAsync(tenant.TenantId, new CallQuery(10, 0, Text: "8999"), ct);
        Assert.True(common.TotalCapped);
        Assert.Equal(all.Items.Select(c => c.Id), common.Items.Select(c => c.Id));
        var rare = await repository.ListAsync(tenant.TenantId, new CallQuery(10, 0, Text: "0000500"), ct);
        Assert.Equal(1, rare.Total);
        Assert.Equal("89990000500", Assert.Single(rare.Items).State.From);

        var internalOnly = await repository.ListAsync(tenant.TenantId, new CallQuery(10, 0, Direction: "internal"), ct);
        Assert.Equal(10, internalOnly.Total);
        Assert.False(internalOnly.TotalCapped);
        Assert.Null(internalOnly.Next);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a cursor at all, not at all!!")]
    [InlineData("AQEAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void A_token_that_is_not_a_cursor_does_not_parse(string? token) =>
        Assert.False(CallCursor.TryParse(token, out _));

    [Fact]
    public void A_cursor_reads_back_from_its_token()
    {
        var cursor = new CallCursor(T0.AddTicks(1234567), Guid.NewGuid());
        Assert.True(CallCursor.TryParse(cursor.Encode(), out var parsed));
        Assert.Equal(cursor, parsed);
        var noStart = new CallCursor(null, Guid.NewGuid());
        Assert.True(CallCursor.TryParse(noStart.Encode(), out var parsedNoStart));
        Assert.Equal(noStart, parsedNoStart);
    }

    private static async Task<List<Guid>> ToListAsync(IAsyncEnumerable<CallRecord> calls, CancellationToken ct)
    {
        var ids = new List<Guid>();
        await foreach (var call in calls.WithCancellation(ct))
        {
            ids.Add(call.Id);
        }

        return ids;
    }
}
