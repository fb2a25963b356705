namespace Cairn.Agent.Containerizer;

/// <summary>How a task's process ended: an exit code or a terminating signal (decoded waitpid status).</summary>
public readonly record struct WaitStatus(int? ExitCode, int? Signal)
{
    /// <summary>Decodes a raw waitpid status word.</summary>
    public static WaitStatus FromRaw(int raw)
    {
        var termSig = raw & 0x7f;
        return termSig == 0 ? new WaitStatus((raw >> 8) & 0xff, null) : new WaitStatus(null, termSig);
    }

    /// <summary>A shell-style code: the exit code, or 128 + signal.</summary>
    public int ShellCode => ExitCode ?? 128 + (Signal ?? 0);

    /// <summary>Mesos' message for the command executor's terminal update.</summary>
    public string Describe() => ExitCode is { } code
        ? $"Command exited with status {code}"
        : $"Command terminated with signal {SignalNames.Describe(Signal ?? 0)}";
}

/// <summary>strsignal(3)-style descriptions, as Mesos prints them.</summary>
public static class SignalNames
{
    /// <summary>"Killed", "Terminated", … or "Signal N".</summary>
    public static string Describe(int signal) => signal switch
    {
        1 => "Hangup",
        2 => "Interrupt",
        3 => "Quit",
        4 => "Illegal instruction",
        6 => "Aborted",
        7 => "Bus error",
        8 => "Floating point exception",
        9 => "Killed",
        10 => "User defined signal 1",
        11 => "Segmentation fault",
        12 => "User defined signal 2",
        13 => "Broken pipe",
        14 => "Alarm clock",
        15 => "Terminated",
        _ => $"Signal {signal}",
    };
}
