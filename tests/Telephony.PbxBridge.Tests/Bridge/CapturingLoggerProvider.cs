using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Telephony.PbxBridge.Tests.Bridge;

/// <summary>Keeps every log line (all levels, exceptions included) so tests can assert on messages and on secrets.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. entries];

    public int Count(string fragment) =>
        entries.Count(e => e.Message.Contains(fragment, StringComparison.Ordinal));

    public string AllText() => string.Join('\n', entries.Select(e => $"{e.Level} {e.Category}: {e.Message} {e.Exception}"));

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, entries);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<CapturedLog> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}"))
                : "";
            entries.Enqueue(new CapturedLog(logLevel, category, $"{formatter(state, exception)} [{structured}]", exception?.ToString()));
        }
    }
}
