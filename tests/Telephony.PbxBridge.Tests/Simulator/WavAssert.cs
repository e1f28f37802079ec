using System.Buffers.Binary;
using System.Text;

namespace Telephony.PbxBridge.Tests.Simulator;

// Reads a WAV as a player would and checks it is what a PBX records: RIFF/WAVE, PCM 8 kHz 16-bit mono.
internal static class WavAssert
{
    // The audio's length.
    public static TimeSpan IsPbxRecording(byte[] wav)
    {
        Assert.True(wav.Length > 44, "a WAV header and some audio");
        Assert.Equal("RIFF", Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal(wav.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(4)));
        Assert.Equal("WAVE", Encoding.ASCII.GetString(wav, 8, 4));
        Assert.Equal("fmt ", Encoding.ASCII.GetString(wav, 12, 4));
        Assert.Equal(16, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(16)));
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(20)));
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(22)));
        Assert.Equal(8000, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)));
        Assert.Equal(16000, BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(28)));
        Assert.Equal(2, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(32)));
        Assert.Equal(16, BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(34)));
        Assert.Equal("data", Encoding.ASCII.GetString(wav, 36, 4));
        var dataBytes = BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(40));
        Assert.Equal(wav.Length - 44, dataBytes);

        // Not silence: somewhere a sample is well away from zero.
        var loudest = 0;
        for (var i = 44; i + 1 < wav.Length; i += 2)
        {
            loudest = Math.Max(loudest, Math.Abs((int)BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(i))));
        }

        Assert.True(loudest > 1000, $"audible audio (loudest sample {loudest})");
        return TimeSpan.FromSeconds(dataBytes / 16000.0);
    }
}
