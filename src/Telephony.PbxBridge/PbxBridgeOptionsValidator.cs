using Microsoft.Extensions.Options;

namespace Telephony.PbxBridge;

/// <summary>
/// The data-annotation and <see cref="PbxBridgeOptions.Validate"/> checks, source-generated instead of
/// ValidateDataAnnotations' reflection, so the bridge compiles ahead of time.
/// </summary>
[OptionsValidator]
internal sealed partial class PbxBridgeOptionsValidator : IValidateOptions<PbxBridgeOptions>
{
}
