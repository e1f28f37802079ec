using System.Globalization;

namespace Telephony.Benchmarks;

/// <summary>
/// A process's resident memory from <c>/proc/&lt;pid&gt;/status</c>, in MB: VmRSS (what the target counts) and its parts —
/// anonymous (heap, stacks, JIT code), file-backed (mapped runtime and assemblies, shared with other .NET processes) and
/// shared memory (the runtime's double-mapped executable code).
/// </summary>
internal sealed record ProcessMemory(double Resident, double Anonymous, double FileBacked, double Shared)
{
    public static ProcessMemory? Read(int processId)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines($"/proc/{processId}/status");
        }
        catch (IOException)
        {
            return null;
        }

        double Field(string name)
        {
            var line = lines.FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal));
            return line is null ? double.NaN : double.Parse(line[(name.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }

        return new ProcessMemory(Field("VmRSS"), Field("RssAnon"), Field("RssFile"), Field("RssShmem"));
    }
}
