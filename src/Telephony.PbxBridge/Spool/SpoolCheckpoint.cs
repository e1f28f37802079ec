using System.Globalization;
using System.Text;

namespace Telephony.PbxBridge.Spool;

/// <summary>
/// The spool's <c>acked</c> file: the highest seq the API accepted with every earlier seq accepted too. Written to a
/// temp file, fsync'd and renamed, so a crash leaves the old value or the new one, never half of one.
/// </summary>
internal sealed partial class SpoolCheckpoint(string directory, ILogger logger)
{
    private const string FileName = "acked";

    private string FilePath => Path.Combine(directory, FileName);

    public void Write(long seq)
    {
        var path = FilePath;
        var temp = path + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(Encoding.ASCII.GetBytes(seq.ToString(CultureInfo.InvariantCulture) + "\n"));
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The checkpointed seq; 0 when there is none yet or it cannot be read. Removes a temp file a crash left behind.</summary>
    public long Read()
    {
        var path = FilePath;
        File.Delete(path + ".tmp");
        if (!File.Exists(path))
        {
            return 0;
        }

        var text = File.ReadAllText(path).Trim();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            return seq;
        }

        // Replaying too much is safe (the API dedupes); skipping frames is not.
        Log.CheckpointUnreadable(logger, path);
        return 0;
    }

    private static partial class Log
    {
        [LoggerMessage(9, LogLevel.Warning, "Frame spool checkpoint {Path} is unreadable; replaying every spooled frame (the API ignores duplicates)")]
        public static partial void CheckpointUnreadable(ILogger logger, string path);
    }
}
