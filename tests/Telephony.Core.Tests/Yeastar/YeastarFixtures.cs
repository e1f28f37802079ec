using System.Text.Json;
using Telephony.Core.Yeastar;

namespace Telephony.Core.Tests.Yeastar;

/// <summary>The shared Yeastar wire fixtures (shared/yeastar/fixtures next to the repository).</summary>
internal static class YeastarFixtures
{
    private static readonly Lazy<string> FolderPath = new(Locate);

    public static string Folder => FolderPath.Value;

    public static IEnumerable<string> AllFiles() =>
        Directory.EnumerateFiles(Folder, "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static string Read(string fileName) => File.ReadAllText(Path.Combine(Folder, fileName));

    /// <summary>P frames have an integer "type" and a "msg"; S-Series event bodies have "event". Requests/responses have neither.</summary>
    public static bool IsEventFrame(string fileName)
    {
        using var document = JsonDocument.Parse(Read(fileName));
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var isPSeries = root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.Number
            && root.TryGetProperty("msg", out _);
        return isPSeries || root.TryGetProperty("event", out _);
    }

    /// <summary>Parses a fixture, optionally moving it to another call id so several fixtures make one call.</summary>
    public static PbxEvent Event(string fileName, string? callId = null)
    {
        var text = Read(fileName);
        if (callId is not null)
        {
            var original = OriginalCallId(text) ?? throw new InvalidOperationException($"{fileName} has no call id");
            text = text.Replace(original, callId, StringComparison.Ordinal);
        }

        var result = PbxFrameParser.Parse(text);
        return result.Event ?? throw new InvalidOperationException($"{fileName}: {result.Error}");
    }

    private static string? OriginalCallId(string text) => PbxFrameParser.Parse(text).Event switch
    {
        CallStatusChanged e => e.CallId,
        CallFailed e => e.CallId,
        CallDetailRecord e => e.CallId,
        SatisfactionSurveyed e => e.CallId,
        _ => null,
    };

    private static string Locate()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "yeastar", "fixtures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"shared/yeastar/fixtures not found above {AppContext.BaseDirectory}; it lives next to the repository root.");
    }
}
