using System.Text.Json;
using Telephony.Core.Yeastar;

namespace Telephony.Core.Tests.Yeastar;

/// <summary>
/// The shared Yeastar wire fixtures (shared/yeastar/fixtures next to the repository) and the payloads captured from
/// live PBXs that this project collected (Yeastar/Captures, each with its source in the README there).
/// </summary>
internal static class YeastarFixtures
{
    private static readonly Lazy<string> FolderPath = new(() => Locate(Path.Combine("shared", "yeastar", "fixtures")));
    private static readonly Lazy<string> CapturesPath = new(() => Locate(Path.Combine("Yeastar", "Captures")));

    public static string Folder => FolderPath.Value;

    public static string CapturesFolder => CapturesPath.Value;

    public static IEnumerable<string> AllFiles() => Files(Folder).Concat(Captures()).Order(StringComparer.Ordinal);

    public static IEnumerable<string> Captures() => Files(CapturesFolder);

    public static string Read(string fileName) =>
        File.ReadAllText(File.Exists(Path.Combine(Folder, fileName)) ? Path.Combine(Folder, fileName) : Path.Combine(CapturesFolder, fileName));

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

    private static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(folder, "*.json").Select(Path.GetFileName).OfType<string>();

    private static string Locate(string relative)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException(
            $"{relative} not found above {AppContext.BaseDirectory} (shared/ lives next to the repository root, Captures in the test project).");
    }
}
