namespace Telephony.PbxBridge;

/// <summary>
/// Spends the PBX's failed-login allowance with care. Both kinds block the bridge's IP at the fifth failed login
/// (P-Series 70004 until someone removes the IP on the PBX, A4; S-Series 20002 for ten minutes, B2), and a blocked IP
/// keeps even corrected credentials out. So a refused login puts every login in the bridge on hold for its wait, and
/// after four refusals in a row the bridge stops logging in: the PBX has refused the credentials four times, so a
/// person has to act, and a fifth try would only get the IP blocked. Restarting the bridge re-arms it.
/// </summary>
internal sealed class LoginGuard(TimeProvider time)
{
    /// <summary>Failed logins in a row at which both PBX kinds block the client's IP (A4, B2).</summary>
    public const int PbxBlocksAfter = 5;

    /// <summary>Refused logins in a row after which the bridge stops trying.</summary>
    public const int MaxRefusalsInARow = PbxBlocksAfter - 1;

    /// <summary>Once logins have stopped, link loops only restate the reason (no PBX traffic) this often.</summary>
    public static readonly TimeSpan StoppedRecheck = TimeSpan.FromMinutes(10);

    private readonly Lock gate = new();
    private int refusalsInARow;
    private DateTimeOffset onHoldUntil;
    private YeastarApiException? lastRefusal;

    /// <summary>True once four logins in a row were refused: no further login is tried until a restart.</summary>
    public bool HasStopped
    {
        get
        {
            lock (gate)
            {
                return refusalsInARow >= MaxRefusalsInARow;
            }
        }
    }

    /// <summary>How long logins are still on hold (zero when a login may be tried now).</summary>
    public TimeSpan OnHoldFor
    {
        get
        {
            lock (gate)
            {
                var left = onHoldUntil - time.GetUtcNow();
                return lastRefusal is null || left < TimeSpan.Zero ? TimeSpan.Zero : left;
            }
        }
    }

    /// <summary>Call before every login: throws the last refusal while logins are on hold or stopped.</summary>
    public void ThrowIfOnHold()
    {
        lock (gate)
        {
            if (lastRefusal is not null && (refusalsInARow >= MaxRefusalsInARow || time.GetUtcNow() < onHoldUntil))
            {
                throw lastRefusal;
            }
        }
    }

    /// <summary>
    /// A refused login. <paramref name="countsTowardBlock"/>: the PBX counts it as a failed login (wrong credentials);
    /// an answer such as "already blocked" only sets the wait.
    /// </summary>
    public void Refused(YeastarApiException refusal, bool countsTowardBlock, TimeSpan wait)
    {
        lock (gate)
        {
            lastRefusal = refusal;
            onHoldUntil = time.GetUtcNow() + wait;
            if (countsTowardBlock)
            {
                refusalsInARow++;
            }
        }
    }

    public void Succeeded()
    {
        lock (gate)
        {
            refusalsInARow = 0;
            lastRefusal = null;
            onHoldUntil = default;
        }
    }

    /// <summary>The link-down reason: the PBX's hint, plus what the bridge did about it once it stopped trying.</summary>
    public string Describe(string hint) => HasStopped
        ? $"{hint}. The PBX refused {MaxRefusalsInARow} logins in a row, so the bridge stopped trying before a fifth failure "
            + "gets its IP blocked: fix the credentials, then restart the bridge"
        : hint;
}
