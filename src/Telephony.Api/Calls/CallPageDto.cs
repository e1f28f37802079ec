using System.ComponentModel;
using Telephony.Core.Storage;

namespace Telephony.Api.Calls;

/// <summary>A page of history: design.md §4's <c>{items, total, limit, offset}</c>, plus keyset paging and a capped total.</summary>
internal sealed record CallPageDto(
    IReadOnlyList<CallDto> Items,
    [property: Description("Calls matching the filters. Exact unless totalCapped is true: then more than this many match and counting stopped here.")]
    long Total,
    int Limit,
    int Offset,
    [property: Description("True when more calls match than total says: total is then the cap (1000), not the exact count.")]
    bool TotalCapped,
    [property: Description("Pass as cursor to get the next page (keyset paging); null on the last page.")]
    string? NextCursor)
{
    public static CallPageDto For(CallPage page, CallQuery query) =>
        new([.. page.Items.Select(CallDto.For)], page.Total, query.Limit, query.Offset, page.TotalCapped, page.Next?.Encode());
}
