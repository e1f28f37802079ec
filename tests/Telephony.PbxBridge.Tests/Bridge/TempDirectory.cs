namespace Telephony.PbxBridge.Tests.Bridge;

/// <summary>A fresh folder under the system temp directory, deleted (with whatever a test left in it) on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("bridge-spool-test-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
