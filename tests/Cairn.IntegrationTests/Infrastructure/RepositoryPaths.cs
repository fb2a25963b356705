namespace Cairn.IntegrationTests.Infrastructure;

/// <summary>Where the repository and the built <c>cairn</c> executable are.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The repository root (the directory holding Cairn.slnx).</summary>
    public static string Root => s_root.Value;

    /// <summary>
    /// cairn.dll as built by ./test.sh or ./cairn: $CAIRN_DLL, else artifacts/cairn/cairn.dll.
    /// </summary>
    public static string CairnDll
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("CAIRN_DLL");
            if (string.IsNullOrEmpty(path))
            {
                path = Path.Combine(Root, "artifacts", "cairn", "cairn.dll");
            }

            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"{path} does not exist: run ./test.sh, or ./cairn version to build it.");
            }

            return path;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cairn.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cairn.slnx not found above " + AppContext.BaseDirectory);
    }
}
