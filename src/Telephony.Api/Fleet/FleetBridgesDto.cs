namespace Telephony.Api.Fleet;

/// <summary>The fleet bridges that announced themselves within the last <see cref="WindowSeconds"/>, the caller included.</summary>
internal sealed record FleetBridgesDto(string[] Bridges, int WindowSeconds);
