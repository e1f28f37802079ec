namespace Telephony.Core.Yeastar;

/// <summary>A Yeastar PBX event (P-Series Open API or S-Series API v2.0.0), normalized to one model.</summary>
[GenerateSerializer, Alias("Telephony.Yeastar.PbxEvent")]
public abstract record PbxEvent;
