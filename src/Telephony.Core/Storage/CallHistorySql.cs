using System.Text;
using Dapper;

namespace Telephony.Core.Storage;

/// <summary>
/// The SQL of one history query over the indexes of migration 0006: the ids of a page in history order (newest first,
/// then id; calls without a start last), after a keyset cursor and/or an offset, and a count that stops at a cap.
/// An extension filter (the call's handling extension, or a phone that rang for it) is a union of two branches, each
/// walking its own index in history order; free text reads call_search (numbers, customer, notes), whose trigram index
/// finds rare text and whose history index walks to common text soonest, beside the extension index for each handling
/// extension the text matches. Either way a page costs about its own size however many calls match.
/// </summary>
internal sealed class CallHistorySql
{
    /// <summary>History order's key; the indexes hold the same expression (a call without a start sorts last).</summary>
    public const string SortKey = "coalesce(c.started_at, '-infinity'::timestamptz)";

    /// <summary>What separates the fields and notes in call_search.search_text (migration 0006).</summary>
    public const string SearchSeparator = "\u001f";

    /// <summary>
    /// The tenant's distinct handling extensions that <c>@Pattern</c> matches, found by skipping through the extension
    /// index (one probe per distinct extension, not a pass over the calls).
    /// </summary>
    public const string MatchingExtensionsSql =
        """
        with recursive e as (
          (select c.extension from call_logs c where c.tenant_id = @TenantId and c.extension is not null order by c.extension limit 1)
          union all
          select (select c.extension from call_logs c where c.tenant_id = @TenantId and c.extension > e.extension order by c.extension limit 1)
          from e where e.extension is not null)
        select extension from e where extension ilike @Pattern
        """;

    // More matching extensions than this and the text is common: one walk in history order finds a page soonest.
    private const int MaxExtensionBranches = 8;

    private const string Cursor = "coalesce(@CursorAt, '-infinity'::timestamptz)";

    // The pattern's whole trigrams (those without pg_trgm's word padding), as call_search_tokens keys them.
    private const string Tokens = "array(select @TenantId || ' ' || t from unnest(show_trgm(@Text)) t where position(' ' in t) = 0)";

    // The rows holding all of the pattern's whole trigrams, through the trigram index alone. The keys already name the
    // tenant; "offset 0" keeps the tenant filter outside, because the statement is prepared, and its generic plan,
    // blind to how rare the text is, would AND the trigram bitmap with the tenant's whole history index (3 million
    // rows of a chain: 340 ms of a 390 ms query).
    private const string ByTokens = $"(select * from call_search s where call_search_tokens(s.tenant_id, s.search_text) @> {Tokens} offset 0) s";

    private const string TextOnCall =
        """
        (c.from_number ilike @Pattern or c.to_number ilike @Pattern or c.external_number ilike @Pattern
         or c.external_e164 ilike @Pattern or c.customer_name ilike @Pattern or c.extension ilike @Pattern)
        """;

    private const string TextInNotes =
        "exists (select 1 from call_notes n where n.tenant_id = c.tenant_id and n.call_id = c.id and n.note ilike @Pattern)";

    private readonly List<Branch> _branches;
    private readonly List<Branch>? _candidates;

    private CallHistorySql(List<Branch> branches, List<Branch>? candidates, DynamicParameters parameters)
    {
        _branches = branches;
        _candidates = candidates;
        Parameters = parameters;
    }

    public DynamicParameters Parameters { get; }

    /// <summary>Whether <see cref="For"/> needs the extensions <see cref="MatchingExtensionsSql"/> finds for the query's text.</summary>
    public static bool SearchesExtensions(CallQuery query) =>
        query is { Text: { } text, Extension: null } && !text.Contains(SearchSeparator, StringComparison.Ordinal);

    /// <summary>The LIKE pattern for text: contains it, with %, _ and \ matching themselves.</summary>
    public static string PatternOf(string text) => "%" + EscapeLike(text) + "%";

    /// <summary>
    /// <paramref name="take"/> ids after <paramref name="after"/> (and <paramref name="skip"/> more), counting up to
    /// <paramref name="countCap"/> + 1 matches. <paramref name="textExtensions"/>: what <see cref="MatchingExtensionsSql"/>
    /// found, when <see cref="SearchesExtensions"/>.
    /// </summary>
    public static CallHistorySql For(string tenantId, CallQuery query, CallCursor? after, int skip, int take, long countCap, IReadOnlyList<string>? textExtensions = null)
    {
        var parameters = new DynamicParameters(new
        {
            TenantId = tenantId,
            query.From,
            query.To,
            query.Direction,
            query.Status,
            query.Extension,
            query.PhoneE164,
            // "+15550100" and "15550100" are the same number written two ways.
            PhoneForms = query.PhoneAsWritten is { } written ? new[] { written, written.TrimStart('+'), "+" + written.TrimStart('+') } : null,
            query.CustomerId,
            query.OrderId,
            Pattern = query.Text is null ? null : PatternOf(query.Text),
            query.Text,
            CursorAt = after?.StartedAt,
            CursorId = after?.Id,
            Skip = skip,
            Take = take,
            Reach = skip + take,
            CountCap = countCap + 1,
        });

        var common = new StringBuilder("c.tenant_id = @TenantId");
        if (query.From is not null)
        {
            // Both forms: the first is the filter, the second lets the history index range over it.
            common.Append($" and c.started_at >= @From and {SortKey} >= @From");
        }

        if (query.To is not null)
        {
            common.Append($" and c.started_at < @To and {SortKey} < @To");
        }

        common.Append(query.Direction is null ? "" : " and c.direction = @Direction");
        common.Append(StatusFilter(query.Status));
        common.Append(query.PhoneE164 is null ? "" : " and c.external_e164 = @PhoneE164");
        common.Append(query.PhoneAsWritten is null ? "" : " and (c.from_number = any(@PhoneForms) or c.to_number = any(@PhoneForms) or c.external_number = any(@PhoneForms))");
        common.Append(query.CustomerId is null ? "" : " and c.customer_id = @CustomerId");
        common.Append(query.OrderId is null ? "" : " and exists (select 1 from call_orders o where o.tenant_id = c.tenant_id and o.call_id = c.id and o.order_id = @OrderId)");

        // Filters other than the tenant's and the ones a branch's own index answers.
        var narrowed = common.Length > "c.tenant_id = @TenantId".Length;
        var branches = new List<Branch>();
        List<Branch>? candidates = null;
        var text = query.Text;
        if (query.Extension is not null)
        {
            var filters = common + (text is null ? "" : $" and ({TextOnCall} or {TextInNotes})");
            branches.Add(new Branch("call_logs c", $"{filters} and c.extension = @Extension", SortKey, "c.id"));
            branches.Add(narrowed || text is not null
                ? new Branch("call_extension_calls x join call_logs c on c.tenant_id = x.tenant_id and c.id = x.call_id", $"x.tenant_id = @TenantId and x.extension = @Extension and {filters}", "x.sort_at", "x.call_id")
                : new Branch("call_extension_calls x", "x.tenant_id = @TenantId and x.extension = @Extension", "x.sort_at", "x.call_id"));
        }
        else if (SearchesExtensions(query) && textExtensions is { Count: <= MaxExtensionBranches })
        {
            // The search text holds each field and note between separators the pattern cannot contain, so matching
            // it is matching one of them; a call whose handling extension matches comes through that extension's index.
            var from = narrowed ? "call_search s join call_logs c on c.tenant_id = s.tenant_id and c.id = s.call_id" : "call_search s";
            var filters = "s.tenant_id = @TenantId and s.search_text like lower(@Pattern)" + (narrowed ? $" and {common}" : "");
            branches.Add(new Branch(from, filters, "s.sort_at", "s.call_id"));
            List<Branch> byExtension = [];
            for (var i = 0; i < textExtensions.Count; i++)
            {
                parameters.Add($"TextExtension{i}", textExtensions[i]);
                byExtension.Add(new Branch("call_logs c", $"{common} and c.extension = @TextExtension{i}", SortKey, "c.id"));
            }

            branches.AddRange(byExtension);

            // Rare text is found through the tenant's trigram keys (migration 0006): all of the pattern's whole
            // trigrams must be there.
            if (Trigrams(text!))
            {
                candidates = [new Branch(from.Replace("call_search s", ByTokens, StringComparison.Ordinal), filters, "s.sort_at", "s.call_id"), .. byExtension];
            }
        }
        else
        {
            branches.Add(new Branch("call_logs c", common + (text is null ? "" : $" and ({TextOnCall} or {TextInNotes})"), SortKey, "c.id"));
        }

        return new CallHistorySql(branches, candidates, parameters);
    }

    /// <summary>The page's ids, in history order.</summary>
    public string PageSql(bool afterCursor)
    {
        if (_branches is [var only])
        {
            return $"select {only.Id} from {only.From} where {only.Where}{Keyset(only, afterCursor)} order by {only.Sort} desc, {only.Id} limit @Take offset @Skip";
        }

        var union = string.Join(
            " union ",
            _branches.Select(b => $"({Select(b, $"{b.Id} as id, {b.Sort} as sort_at")}{Keyset(b, afterCursor)} order by {b.Sort} desc, {b.Id} limit @Reach)"));
        return $"select u.id from ({union}) u order by u.sort_at desc, u.id limit @Take offset @Skip";
    }

    /// <summary>How many calls match, up to the cap + 1 (so "more than the cap" is seen without counting them all).</summary>
    public string CountSql()
    {
        if (_branches is [var only])
        {
            return $"select count(*) from (select 1 from {only.From} where {only.Where} limit @CountCap) x";
        }

        // Each branch stops at cap + 1: a union of complete branches is exact, and a cut one already exceeds the cap.
        var union = string.Join(" union ", _branches.Select(b => $"({Select(b, $"{b.Id} as id")} limit @CountCap)"));
        return $"select count(*) from ({union}) u";
    }

    /// <summary>
    /// For rare text: up to cap + 1 matches per branch, unordered (id, sort_at), through the trigram index. When they
    /// come to no more than the cap they are every match, and the page is cut from them; else the text is common and
    /// <see cref="PageSql"/> walks history order. Null when the query has no such path.
    /// </summary>
    public string? CandidatesSql() => _candidates is null
        ? null
        : string.Join(" union ", _candidates.Select(b => $"({Select(b, $"{b.Id} as id, {b.Sort} as sort_at")} limit @CountCap)"));

    private static string Select(Branch b, string columns) => $"select {columns} from {b.From} where {b.Where}";

    // Keyset on the branch's own index key: rows after (sort, id) in "sort desc, id asc" order.
    private static string Keyset(Branch b, bool afterCursor) =>
        afterCursor ? $" and {b.Sort} <= {Cursor} and ({b.Sort} < {Cursor} or {b.Id} > @CursorId)" : "";

    // Status and outcome share only 'answered' (storage names of CallStatus / CallOutcome), so "status or outcome
    // is X" reads as the one column that can hold X, which an index can serve.
    private static string StatusFilter(string? status) => status switch
    {
        null => "",
        "ringing" or "ended" => " and c.status = @Status",
        "missed" or "busy" or "failed" => " and c.outcome = @Status",
        _ => " and (c.status = @Status or c.outcome = @Status)",
    };

    // pg_trgm keys a word's trigrams: a pattern is found through them only with a run of three letters or digits.
    private static bool Trigrams(string text)
    {
        var run = 0;
        foreach (var ch in text)
        {
            run = char.IsLetterOrDigit(ch) ? run + 1 : 0;
            if (run >= 3)
            {
                return true;
            }
        }

        return false;
    }

    // The user's text is data: %, _ and \ match themselves.
    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    // Rows of From matching Where, walked in (Sort desc, Id) order by an index; each call at most once per branch.
    private sealed record Branch(string From, string Where, string Sort, string Id);
}
