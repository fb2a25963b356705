namespace Cairn.Master.Registry;

/// <summary>The registry on disk: <c>&lt;work_dir&gt;/registry.json</c>, replaced atomically
/// (write a temporary file, fsync it, rename over the old one, fsync the directory).</summary>
public sealed class RegistryFile
{
    public RegistryFile(string workDir)
    {
        Directory.CreateDirectory(workDir);
        WorkDir = workDir;
        Path = System.IO.Path.Combine(workDir, "registry.json");
    }

    public string WorkDir { get; }

    public string Path { get; }

    /// <summary>Reads the registry, or null when there is none yet.</summary>
    public RegistryState? Load()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        return RegistryState.Deserialize(File.ReadAllBytes(Path));
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var temp = Path + ".tmp";
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
        {
            await stream.WriteAsync(content, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, Path, overwrite: true);
        SyncDirectory();
    }

    private void SyncDirectory()
    {
        // The rename is durable only once the directory entry is; .NET cannot open a directory as a
        // file, so this goes to libc directly.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = NativeFile.Open(WorkDir, NativeFile.ReadOnlyDirectory);
        if (fd >= 0)
        {
            _ = NativeFile.Fsync(fd);
            _ = NativeFile.Close(fd);
        }
    }
}
