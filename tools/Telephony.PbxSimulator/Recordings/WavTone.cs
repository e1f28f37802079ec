using System.Buffers.Binary;

namespace Telephony.PbxSimulator.Recordings;

// What a PBX records: RIFF/WAVE, PCM 8 kHz, 16-bit, mono. The simulator has no voices, so a recording is a beeping tone
// whose pitch follows a stable hash of the file name: the same call always gives the same bytes.
internal static class WavTone
{
    public const int SampleRate = 8000;

    private const int HeaderBytes = 44;
    private const short BitsPerSample = 16;

    public static byte[] Synthesise(string fileName, TimeSpan length)
    {
        var samples = (int)Math.Round(length.TotalSeconds * SampleRate);
        var dataBytes = samples * (BitsPerSample / 8);
        var wav = new byte[HeaderBytes + dataBytes];
        var span = wav.AsSpan();

        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + dataBytes);
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], SampleRate * BitsPerSample / 8);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], BitsPerSample / 8);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], BitsPerSample);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataBytes);

        // 400 ms beeps with 100 ms gaps, faded in and out over 10 ms so the edges do not click.
        var frequency = 300 + (StableHash(fileName) % 700);
        const int beep = SampleRate * 400 / 1000;
        const int period = SampleRate * 500 / 1000;
        const int fade = SampleRate * 10 / 1000;
        for (var i = 0; i < samples; i++)
        {
            var inPeriod = i % period;
            var envelope = inPeriod >= beep ? 0.0 : Math.Min(1.0, Math.Min(inPeriod, beep - inPeriod) / (double)fade);
            var value = 0.3 * envelope * Math.Sin(2 * Math.PI * frequency * i / SampleRate);
            BinaryPrimitives.WriteInt16LittleEndian(span[(HeaderBytes + (2 * i))..], (short)Math.Round(value * short.MaxValue));
        }

        return wav;
    }

    // FNV-1a: string.GetHashCode differs between processes, and the audio must not.
    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
