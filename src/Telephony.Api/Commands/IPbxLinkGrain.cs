using Orleans.Concurrency;

namespace Telephony.Api.Commands;

/// <summary>
/// The command queue to one PBX's bridge (key: tenant/pbx). A command is handed to exactly one poll,
/// so it runs at most once even when two bridges poll or one reconnects.
/// </summary>
internal interface IPbxLinkGrain : IGrainWithStringKey
{
    Task EnqueueAsync(PbxCommand command);

    /// <summary>
    /// Long poll: the pending commands, or an empty list once <paramref name="wait"/> has passed; cancelled once the
    /// poller is gone (<paramref name="cancellationToken"/>), taking no command, so the next poll gets it.
    /// </summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<PbxCommand>> PollAsync(TimeSpan wait, CancellationToken cancellationToken = default);

    /// <summary>False when the command is unknown or already has a result.</summary>
    Task<bool> CompleteAsync(Guid commandId, PbxCommandResult result);

    /// <summary>The result, or null when none came within <paramref name="timeout"/>.</summary>
    [AlwaysInterleave]
    Task<PbxCommandResult?> WaitForResultAsync(Guid commandId, TimeSpan timeout);

    /// <summary>Seconds since a bridge last polled, or null if none has since activation.</summary>
    Task<double?> SecondsSinceLastPollAsync();
}
