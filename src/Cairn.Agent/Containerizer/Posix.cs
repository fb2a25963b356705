using System.Runtime.InteropServices;

namespace Cairn.Agent.Containerizer;

/// <summary>The few libc calls the containerizer needs: posix_spawn with a new session, waitpid, kill.</summary>
internal static unsafe partial class Posix
{
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private const short PosixSpawnSetSigDef = 0x04;
    private const short PosixSpawnSetSigMask = 0x08;
    private const short PosixSpawnSetSid = 0x80;
    private const int ORdOnly = 0x0;
    private const int OWrOnly = 0x1;
    private const int OCreat = 0x40;
    private const int OAppend = 0x400;
    private const int EINTR = 4;

    // glibc's posix_spawn_file_actions_t is 80 bytes and posix_spawnattr_t 336; sigset_t 128. Generous buffers.
    private const int OpaqueSize = 1024;

    [LibraryImport("libc", EntryPoint = "posix_spawnp", SetLastError = true)]
    private static partial int PosixSpawnP(out int pid, byte* file, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(void* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(void* fileActions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen")]
    private static partial int FileActionsAddOpen(void* fileActions, int fd, byte* path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np")]
    private static partial int FileActionsAddChdir(void* fileActions, byte* path);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int AttrInit(void* attr);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int AttrDestroy(void* attr);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int AttrSetFlags(void* attr, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int AttrSetSigMask(void* attr, void* sigset);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int AttrSetSigDefault(void* attr, void* sigset);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static partial int SigEmptySet(void* sigset);

    [LibraryImport("libc", EntryPoint = "sigfillset")]
    private static partial int SigFillSet(void* sigset);

    [LibraryImport("libc", EntryPoint = "sigdelset")]
    private static partial int SigDelSet(void* sigset, int signal);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    /// <summary>
    /// Starts <paramref name="file"/> (searched on PATH) with <paramref name="argv"/> as the leader of a new session and process group,
    /// with stdin from /dev/null, stdout and stderr appended to the given files, in <paramref name="workingDirectory"/>,
    /// every signal at its default disposition and none blocked. Returns the pid, or the errno as a negative number.
    /// </summary>
    public static int Spawn(string file, IReadOnlyList<string> argv, IReadOnlyList<string> environment, string workingDirectory, string stdoutPath, string stderrPath)
    {
        var strings = new List<IntPtr>(argv.Count + environment.Count + 4);
        var fileActions = NativeMemory.AllocZeroed(OpaqueSize);
        var attr = NativeMemory.AllocZeroed(OpaqueSize);
        var sigset = NativeMemory.AllocZeroed(OpaqueSize);
        var argvArray = (byte**)NativeMemory.AllocZeroed((nuint)(sizeof(byte*) * (argv.Count + 1)));
        var envArray = (byte**)NativeMemory.AllocZeroed((nuint)(sizeof(byte*) * (environment.Count + 1)));
        try
        {
            for (var i = 0; i < argv.Count; i++)
            {
                argvArray[i] = Utf8(argv[i], strings);
            }

            for (var i = 0; i < environment.Count; i++)
            {
                envArray[i] = Utf8(environment[i], strings);
            }

            _ = FileActionsInit(fileActions);
            _ = FileActionsAddOpen(fileActions, 0, Utf8("/dev/null", strings), ORdOnly, 0);
            _ = FileActionsAddOpen(fileActions, 1, Utf8(stdoutPath, strings), OWrOnly | OCreat | OAppend, 0b110_100_100);
            _ = FileActionsAddOpen(fileActions, 2, Utf8(stderrPath, strings), OWrOnly | OCreat | OAppend, 0b110_100_100);
            _ = FileActionsAddChdir(fileActions, Utf8(workingDirectory, strings));

            _ = AttrInit(attr);
            _ = AttrSetFlags(attr, PosixSpawnSetSid | PosixSpawnSetSigMask | PosixSpawnSetSigDef);
            _ = SigEmptySet(sigset);
            _ = AttrSetSigMask(attr, sigset);
            // The runtime ignores SIGPIPE; a task must start with every catchable signal at its default.
            _ = SigFillSet(sigset);
            _ = SigDelSet(sigset, SigKill);
            _ = SigDelSet(sigset, 19);
            _ = AttrSetSigDefault(attr, sigset);

            var rc = PosixSpawnP(out var pid, Utf8(file, strings), fileActions, attr, argvArray, envArray);
            return rc == 0 ? pid : -rc;
        }
        finally
        {
            _ = FileActionsDestroy(fileActions);
            _ = AttrDestroy(attr);
            NativeMemory.Free(fileActions);
            NativeMemory.Free(attr);
            NativeMemory.Free(sigset);
            NativeMemory.Free(argvArray);
            NativeMemory.Free(envArray);
            foreach (var s in strings)
            {
                Marshal.FreeHGlobal(s);
            }
        }
    }

    private static byte* Utf8(string value, List<IntPtr> owned)
    {
        var count = System.Text.Encoding.UTF8.GetByteCount(value);
        var p = Marshal.AllocHGlobal(count + 1);
        owned.Add(p);
        var span = new Span<byte>((void*)p, count + 1);
        System.Text.Encoding.UTF8.GetBytes(value, span);
        span[count] = 0;
        return (byte*)p;
    }

    /// <summary>Blocks until the child exits; returns its wait status, or null when it is not our child.</summary>
    public static WaitStatus? Wait(int pid)
    {
        while (true)
        {
            var rc = WaitPid(pid, out var status, 0);
            if (rc == pid)
            {
                return WaitStatus.FromRaw(status);
            }

            var errno = Marshal.GetLastPInvokeError();
            if (rc == -1 && errno == EINTR)
            {
                continue;
            }

            return null;
        }
    }

    /// <summary>Sends a signal to a process (pid &gt; 0) or a process group (pid &lt; 0); false when nothing received it.</summary>
    public static bool Kill(int pid, int signal) => KillNative(pid, signal) == 0;

    /// <summary>True while a process with this pid exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        if (KillNative(pid, 0) != 0)
        {
            return false;
        }

        var state = ProcessStartTime.ReadState(pid);
        return state is not null && state != 'Z' && state != 'X';
    }
}
