using Microsoft.Extensions.Options;

namespace Telephony.PbxBridge.Fleet;

/// <summary>The data-annotation and <see cref="FleetBridgeOptions.Validate"/> checks, source-generated (no reflection: AOT).</summary>
[OptionsValidator]
internal sealed partial class FleetBridgeOptionsValidator : IValidateOptions<FleetBridgeOptions>
{
}
