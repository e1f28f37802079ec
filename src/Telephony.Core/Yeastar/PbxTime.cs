using Telephony.Core.Calls;

namespace Telephony.Core.Yeastar;

/// <summary>
/// When a CDR says its call started: an instant (the Unix <c>timestamp</c> of <c>cdr/search</c> rows, api.md A11.1) or
/// a wall-clock time of the PBX (30012 <c>time_start</c>, or a row's <c>time</c>) that only the PBX's zone makes an instant.
/// </summary>
[GenerateSerializer, Immutable, Alias("Telephony.Yeastar.PbxTime")]
public readonly record struct PbxTime
{
    /// <summary>The PBX's wall clock (<see cref="DateTimeKind.Unspecified"/>); null when <see cref="Instant"/> is set.</summary>
    [Id(0)]
    public DateTime? Local { get; init; }

    /// <summary>An unambiguous instant in UTC; null when only the wall clock is known.</summary>
    [Id(1)]
    public DateTimeOffset? Instant { get; init; }

    public static PbxTime AtLocal(DateTime local) => new() { Local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified) };

    public static PbxTime AtInstant(DateTimeOffset instant) => new() { Instant = instant.ToUniversalTime() };

    /// <summary>The year, for range checks, whichever form the time has.</summary>
    public int Year => Instant?.Year ?? Local?.Year ?? 1;

    public DateTimeOffset ToUtc(TimeZoneInfo zone) => Instant ?? PbxClock.ToUtc(Local ?? DateTime.MinValue, zone);

    public override string ToString() => Instant?.ToString("O") ?? Local?.ToString("O") ?? "";
}
