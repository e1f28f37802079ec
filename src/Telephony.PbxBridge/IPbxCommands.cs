using Telephony.PbxBridge.ApiLink;

namespace Telephony.PbxBridge;

/// <summary>
/// The seam the command poll runs a call-control command through: <see cref="PSeries.PSeriesCommands"/> (Open API,
/// A9) or <see cref="SSeries.SSeriesCommands"/> (v2.0.0 REST, B4), whichever family the PBX speaks.
/// </summary>
internal interface IPbxCommands
{
    /// <summary>What the PBX answered; PBX and network errors may throw (the poll turns them into a result).</summary>
    Task<PbxCommandResult> ExecuteAsync(PbxCommand command, CancellationToken cancellationToken);
}
