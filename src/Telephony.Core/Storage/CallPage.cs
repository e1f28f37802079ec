using Telephony.Core.Calls;

namespace Telephony.Core.Storage;

/// <summary>
/// A page of history. <see cref="Total"/> is exact unless <see cref="TotalCapped"/>: then more than
/// <see cref="CallRepository.TotalCap"/> calls match and Total is that cap. <see cref="Next"/> continues after the
/// page's last call; null on the last page.
/// </summary>
public sealed record CallPage(IReadOnlyList<CallRecord> Items, long Total, bool TotalCapped = false, CallCursor? Next = null);
