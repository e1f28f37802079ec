using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;

namespace Telephony.Api.Calls;

/// <summary>Query string of <c>GET /api/calls/logs</c>.</summary>
// Binding ignores case, but the OpenAPI document (and so a generated client) takes the names from here: camelCase, as design.md §4.
internal sealed class CallLogsRequest
{
    [FromQuery(Name = "limit")]
    public int? Limit { get; init; }
    [FromQuery(Name = "offset")]
    public int? Offset { get; init; }
    [FromQuery(Name = "from")]
    public string? From { get; init; }
    [FromQuery(Name = "to")]
    public string? To { get; init; }
    [FromQuery(Name = "direction")]
    public string? Direction { get; init; }
    [FromQuery(Name = "status")]
    public string? Status { get; init; }
    [FromQuery(Name = "extension")]
    public string? Extension { get; init; }
    [FromQuery(Name = "phone")]
    public string? Phone { get; init; }
    [FromQuery(Name = "customerId")]
    public string? CustomerId { get; init; }
    [FromQuery(Name = "orderId")]
    public string? OrderId { get; init; }
    [FromQuery(Name = "q")]
    public string? Q { get; init; }

    /// <summary>Keyset paging: the <c>nextCursor</c> of the previous page; the page starts after its last call.</summary>
    [Description("Keyset paging: the nextCursor of the previous page. The page starts right after that page's last call, so deep pages cost what the first does; offset, if given too, skips further.")]
    [FromQuery(Name = "cursor")]
    public string? Cursor { get; init; }

    /// <summary><c>csv</c> for a CSV export (as does <c>Accept: text/csv</c>).</summary>
    [FromQuery(Name = "format")]
    public string? Format { get; init; }
}
