namespace Telephony.Core.Yeastar;

/// <summary>P-Series 30022 Extension Information Updated; Option is CREATE, UPDATE or DELETE.</summary>
[GenerateSerializer, Alias("Telephony.Yeastar.ExtensionConfigurationChanged")]
public sealed record ExtensionConfigurationChanged(
    [property: Id(0)] string Extension,
    [property: Id(1)] string Option) : PbxEvent;
