using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Mesos.V1;
using Task = System.Threading.Tasks.Task;
using TaskStatus = Mesos.V1.TaskStatus;

namespace Cairn.Cli;

/// <summary>
/// <c>cairn run [--cpus 0.1] [--mem 32] -- command…</c>: launches one task through the scheduler API
/// (the role of mesos-execute), streams its stdout and stderr, prints its status updates on stderr,
/// and exits with the task's exit code.
/// </summary>
internal static partial class RunCommand
{
    public static Command Create()
    {
        var master = new Option<string>("--master") { Description = "Master address(es), comma-separated host:port.", DefaultValueFactory = _ => "127.0.0.1:5050" };
        var cpus = new Option<double>("--cpus") { Description = "CPUs for the task.", DefaultValueFactory = _ => 0.1 };
        var mem = new Option<double>("--mem") { Description = "Memory for the task, MB.", DefaultValueFactory = _ => 32 };
        var name = new Option<string>("--name") { Description = "Task name.", DefaultValueFactory = _ => "cairn-run" };
        var role = new Option<string>("--role") { Description = "Role to run as.", DefaultValueFactory = _ => "*" };
        var argv = new Argument<string[]>("command") { Description = "The command: one argument runs through 'sh -c', several run as argv.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("run", "Run one task on the cluster and stream its output; exits with the task's exit code.")
        {
            master, cpus, mem, name, role, argv,
        };
        command.SetAction(parse =>
        {
            using var signals = new ShutdownSignals();
            var request = new RunRequest(
                [.. parse.GetValue(master)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                parse.GetValue(cpus),
                parse.GetValue(mem),
                parse.GetValue(name)!,
                parse.GetValue(role)!,
                parse.GetValue(argv)!);
            using var run = new TaskRun(request);
            return run.RunAsync(signals.Token).GetAwaiter().GetResult();
        });
        return command;
    }

    /// <summary>Exit code for a terminal status: the command's own code, 128 + signal, or 1 when unknown.</summary>
    public static int ExitCodeOf(TaskStatus status)
    {
        if (status.State == TaskState.TaskFinished)
        {
            return 0;
        }

        var message = status.HasMessage ? status.Message : "";
        var exited = ExitedPattern().Match(message);
        if (exited.Success)
        {
            return int.Parse(exited.Groups[1].Value, CultureInfo.InvariantCulture);
        }

        var signalled = SignalPattern().Match(message);
        if (signalled.Success)
        {
            for (var signal = 1; signal < 32; signal++)
            {
                if (Cairn.Agent.Containerizer.SignalNames.Describe(signal) == signalled.Groups[1].Value)
                {
                    return 128 + signal;
                }
            }
        }

        return status.State == TaskState.TaskKilled ? 128 + 15 : 1;
    }

    [GeneratedRegex(@"exited with status (\d+)")]
    private static partial Regex ExitedPattern();

    [GeneratedRegex(@"terminated with signal (.+)$")]
    private static partial Regex SignalPattern();
}

internal sealed record RunRequest(string[] Masters, double Cpus, double Mem, string Name, string Role, string[] Argv);
