namespace Telephony.Core.Storage;

/// <summary>
/// A call's place in history order as PostgreSQL sorts it: start descending (no start = -infinity, last), then id
/// ascending in uuid byte order (which <see cref="Guid.CompareTo(Guid)"/> does not follow).
/// </summary>
internal readonly record struct HistoryKey(Guid Id, DateTime SortAt) : IComparable<HistoryKey>
{
    public static HistoryKey Of(CallCursor cursor) => new(cursor.Id, cursor.StartedAt?.UtcDateTime ?? DateTime.MinValue);

    public int CompareTo(HistoryKey other)
    {
        var bySort = other.SortAt.Ticks.CompareTo(SortAt.Ticks);
        if (bySort != 0)
        {
            return bySort;
        }

        Span<byte> mine = stackalloc byte[16];
        Span<byte> theirs = stackalloc byte[16];
        Id.TryWriteBytes(mine, bigEndian: true, out _);
        other.Id.TryWriteBytes(theirs, bigEndian: true, out _);
        return mine.SequenceCompareTo(theirs);
    }
}
