using System.CommandLine;
using System.Text.Json;

namespace Cairn.Cli;

/// <summary><c>cairn task log &lt;task-id&gt; [--stderr] [--lines N] [--follow]</c>: a task's sandbox output.</summary>
internal static class TaskCommand
{
    public static Command Create()
    {
        var master = new Option<string>("--master") { Description = "The master, host:port.", DefaultValueFactory = _ => "127.0.0.1:5050" };
        var stderr = new Option<bool>("--stderr") { Description = "Show stderr instead of stdout." };
        var lines = new Option<int?>("--lines") { Description = "Only the last N lines." };
        var follow = new Option<bool>("--follow") { Description = "Keep printing new output until the task ends (or Ctrl-C)." };
        var taskId = new Argument<string>("task-id") { Description = "The task id." };
        var log = new Command("log", "Print a task's stdout (or stderr) from its sandbox.") { master, stderr, lines, follow, taskId };
        log.SetAction(parse =>
        {
            using var signals = new ShutdownSignals();
            return LogAsync(parse.GetValue(master)!, parse.GetValue(taskId)!, parse.GetValue(stderr), parse.GetValue(lines), parse.GetValue(follow), signals.Token)
                .GetAwaiter().GetResult();
        });
        return new Command("task", "Inspect tasks.") { log };
    }

    private static async Task<int> LogAsync(string master, string taskId, bool stderr, int? lines, bool follow, CancellationToken interrupt)
    {
        using var cluster = new ClusterHttp();
        SandboxFileReader reader;
        string frameworkId;
        try
        {
            using var state = await cluster.MasterStateAsync(master, interrupt);
            if (ClusterHttp.FindTask(state.RootElement, taskId) is not { } found)
            {
                Console.Error.WriteLine($"cairn task log: no task '{taskId}' in {master}/master/state");
                return 1;
            }

            frameworkId = found.FrameworkId;
            var agentId = ClusterHttp.Str(found.Task, "slave_id") ?? "";
            if (ClusterHttp.AgentUri(state.RootElement, agentId) is not { } agent)
            {
                Console.Error.WriteLine($"cairn task log: agent {agentId} of task '{taskId}' is not known to the master");
                return 1;
            }

            var sandbox = await cluster.SandboxAsync(agent, frameworkId, taskId, interrupt);
            if (sandbox is null)
            {
                Console.Error.WriteLine($"cairn task log: agent {agent} has no sandbox for task '{taskId}'");
                return 1;
            }

            reader = new SandboxFileReader(cluster.Http, agent, Path.Combine(sandbox, stderr ? "stderr" : "stdout"));
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException)
        {
            Console.Error.WriteLine($"cairn task log: {e.Message}");
            return 1;
        }

        var text = await reader.ReadNewAsync(interrupt);
        Console.Write(lines is { } n ? LastLines(text, n) : text);
        while (follow && !interrupt.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), interrupt);
                Console.Write(await reader.ReadNewAsync(interrupt));
                if (await IsTerminalAsync(cluster, master, taskId, interrupt))
                {
                    Console.Write(await reader.ReadNewAsync(interrupt));
                    break;
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception e) when (e is HttpRequestException or JsonException)
            {
                // the agent or master may be briefly unreachable while following; try again
            }
        }

        return 0;
    }

    private static async Task<bool> IsTerminalAsync(ClusterHttp cluster, string master, string taskId, CancellationToken cancellationToken)
    {
        using var state = await cluster.MasterStateAsync(master, cancellationToken);
        return ClusterHttp.FindTask(state.RootElement, taskId) is { } found
            && ClusterHttp.Str(found.Task, "state") is "TASK_FINISHED" or "TASK_FAILED" or "TASK_KILLED" or "TASK_ERROR" or "TASK_LOST" or "TASK_DROPPED" or "TASK_GONE" or "TASK_GONE_BY_OPERATOR";
    }

    /// <summary>The last <paramref name="count"/> lines of <paramref name="text"/> (a trailing newline ends the last line).</summary>
    public static string LastLines(string text, int count)
    {
        if (count <= 0)
        {
            return "";
        }

        var end = text.Length > 0 && text[^1] == '\n' ? text.Length - 1 : text.Length;
        var start = end;
        for (var seen = 0; start > 0; start--)
        {
            if (text[start - 1] == '\n' && ++seen == count)
            {
                break;
            }
        }

        return text[start..];
    }
}
