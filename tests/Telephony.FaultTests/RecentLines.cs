namespace Telephony.FaultTests;

/// <summary>The last lines a child process wrote (stdout and stderr), for a failing test's message.</summary>
public sealed class RecentLines(int capacity = 200)
{
    private readonly Queue<string> _lines = new();

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
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
}
