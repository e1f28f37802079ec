using Telephony.Core.Calls;

namespace Telephony.Core.Storage;

public sealed record CallPage(IReadOnlyList<CallRecord> Items, long Total);
