namespace Telephony.PbxBridge;

/// <summary>
/// Fetches one backfill window (from the <see cref="CatchUp.CdrWatermark"/>) of the PBX's CDRs into the spool:
/// <see cref="PSeries.PSeriesCdrBackfill"/> (cdr/search, A11.2) or <see cref="SSeries.SSeriesCdrBackfill"/> (CSV, B6).
/// </summary>
internal interface ICdrBackfill
{
    /// <summary>The number of CDRs forwarded, or null when it failed (logged, never thrown: the window is retried).</summary>
    Task<int?> RunAsync(CancellationToken cancellationToken);
}
