namespace Telephony.PbxSimulator.PSeries;

internal sealed record TokenPair(string AccessToken, string RefreshToken);
