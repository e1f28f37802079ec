namespace Telephony.FaultTests;

/// <summary>
/// The last lines a child process wrote (stdout and stderr), for a failing test's message; with
/// <see cref="FullLogDirectoryVariable"/> set, also every line, in a file of its own there, for failures too rare to
/// catch from a tail.
/// </summary>
public sealed class RecentLines(int capacity = 200, string? fullLogName = null) : IDisposable
{
    /// <summary>Where child processes' whole output goes, at Information level, when set (a folder).</summary>
    public const string FullLogDirectoryVariable = "TELEPHONY_TEST_CHILD_LOGS";

    private readonly Queue<string> _lines = new();
    private StreamWriter? _full = OpenFullLog(fullLogName);

    /// <summary>Whether whole logs are kept (so the child should log at Information, not only warnings).</summary>
    public static bool KeepsFullLogs => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(FullLogDirectoryVariable));

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            _full?.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {line}");
            _lines.Enqueue(line);
            while (_lines.Count > capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    public string Text
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    public void Dispose()
    {
        // Under the lock and cleared: output still arriving from a killed process is then only kept in the tail.
        lock (_lines)
        {
            _full?.Dispose();
            _full = null;
        }
    }

    private static StreamWriter? OpenFullLog(string? name)
    {
        var folder = Environment.GetEnvironmentVariable(FullLogDirectoryVariable);
        if (string.IsNullOrEmpty(folder) || name is null)
        {
            return null;
        }

        Directory.CreateDirectory(folder);
        return new StreamWriter(Path.Combine(folder, $"{DateTimeOffset.UtcNow:HHmmss}-{name}-{Guid.NewGuid():N}"[..40] + ".log")) { AutoFlush = true };
    }
}
