namespace Telephony.PbxSimulator.Recordings;

// A recording the PBX holds: the call it belongs to and how much audio it has (the talk time, capped).
internal sealed record RecordedCall(string FileName, string CallId, TimeSpan AudioLength)
{
    public byte[] Audio() => WavTone.Synthesise(FileName, AudioLength);
}
