using System.ComponentModel;

namespace Telephony.Api.Calls;

/// <summary>Query string of <c>GET /api/calls/logs</c>.</summary>
internal sealed class CallLogsRequest
{
    public int? Limit { get; init; }
    public int? Offset { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    public string? Direction { get; init; }
    public string? Status { get; init; }
    public string? Extension { get; init; }
    public string? Phone { get; init; }
    public string? CustomerId { get; init; }
    public string? OrderId { get; init; }
    public string? Q { get; init; }

    /// <summary>Keyset paging: the <c>nextCursor</c> of the previous page; the page starts after its last call.</summary>
    [Description("Keyset paging: the nextCursor of the previous page. The page starts right after that page's last call, so deep pages cost what the first does; offset, if given too, skips further.")]
    public string? Cursor { get; init; }

    /// <summary><c>csv</c> for a CSV export (as does <c>Accept: text/csv</c>).</summary>
    public string? Format { get; init; }
}
