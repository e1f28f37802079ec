namespace Telephony.TestSupport;

/// <summary>Finds <c>shared/yeastar/fixtures</c>, which sits beside the repository (../shared).</summary>
public static class FixturePaths
{
    public static string Folder { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "yeastar", "fixtures");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/yeastar/fixtures was not found above the test binaries: ../shared must sit beside the repository.");
    }
}
