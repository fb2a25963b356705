using System.Runtime.InteropServices;

namespace Cairn.Master.Registry;

/// <summary>The three libc calls needed to fsync a directory on Linux.</summary>
internal static partial class NativeFile
{
    /// <summary>O_RDONLY | O_DIRECTORY | O_CLOEXEC on Linux.</summary>
    public const int ReadOnlyDirectory = 0x10000 | 0x80000;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
