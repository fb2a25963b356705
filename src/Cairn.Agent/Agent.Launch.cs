using System.Globalization;
using Cairn.Agent.Checkpoint;
using Cairn.Agent.Containerizer;
using Cairn.Agent.Status;
using Google.Protobuf;
using Mesos.V1;
using Microsoft.Extensions.Logging;

namespace Cairn.Agent;

public sealed partial class Agent
{
    private void Launch(FrameworkInfo framework, TaskInfo task)
    {
        var frameworkId = framework.Id.Value;
        var key = TaskRecord.KeyOf(frameworkId, task.TaskId.Value);
        if (_tasks.TryGetValue(key, out var existing) && !TaskStates.IsTerminal(existing.State))
        {
            LogDuplicateLaunch(_logger, task.TaskId.Value);
            return;
        }

        if (_agentId is not { } agentId)
        {
            return;
        }

        if (!_frameworks.ContainsKey(frameworkId))
        {
            _frameworks[frameworkId] = framework;
            CheckpointFiles.WriteAtomically(Path.Combine(_layout.FrameworkMeta(agentId, frameworkId), "framework.info"), framework.ToByteArray());
        }

        var runId = Guid.NewGuid().ToString();
        var sandbox = _layout.Sandbox(agentId, frameworkId, task.TaskId.Value, runId);
        var meta = _layout.RunMeta(agentId, frameworkId, task.TaskId.Value, runId);
        Directory.CreateDirectory(sandbox);
        CheckpointFiles.WriteAtomically(Path.Combine(meta, "tasks", task.TaskId.Value, "task.info"), task.ToByteArray());
        var record = new TaskRecord(frameworkId, task, runId, ++_generation, sandbox, meta, new UpdateLog(UpdatesPath(meta, task.TaskId.Value)));
        if (existing is not null)
        {
            Retire(existing);
        }

        _tasks[key] = record;

        if (task.Command is null || task.Executor is not null)
        {
            SendUpdate(record, TaskState.TaskError, "Cairn agents run command tasks only (TaskInfo.command, no executor)", TaskStatus.Types.Reason.TaskInvalid);
            return;
        }

        SendUpdate(record, TaskState.TaskStarting, null, null);
        var spec = BuildLaunchSpec(record, agentId);
        var generation = record.Generation;
        var (process, error) = _containerizer.Launch(spec, status => Post(new ProcessExited(key, generation, status)));
        if (process is not { } launched)
        {
            record.ProcessGone = true;
            SendUpdate(record, TaskState.TaskFailed, error, TaskStatus.Types.Reason.ContainerLaunchFailed);
            return;
        }

        record.Process = launched;
        CheckpointFiles.WriteAtomically(
            Path.Combine(meta, "pids", "forked.pid"),
            string.Create(CultureInfo.InvariantCulture, $"{launched.Pid} {launched.StartTime}"));
        SendUpdate(record, TaskState.TaskRunning, null, null);
    }

    private static string UpdatesPath(string meta, string taskId) => Path.Combine(meta, "tasks", taskId, "task.updates");

    private LaunchSpec BuildLaunchSpec(TaskRecord record, string agentId)
    {
        var task = record.Info;
        var command = task.Command;
        string file;
        List<string> argv;
        if (!command.HasShell || command.Shell)
        {
            file = "/bin/sh";
            argv = ["sh", "-c", command.Value];
        }
        else
        {
            file = command.Value;
            argv = command.Arguments.Count > 0 ? [.. command.Arguments] : [command.Value];
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            env[(string)entry.Key] = (string?)entry.Value ?? "";
        }

        // Variables of the agent's own runtime must not leak into tasks.
        foreach (var name in env.Keys.ToArray())
        {
            if (name.StartsWith("DOTNET_", StringComparison.Ordinal) || name.StartsWith("ASPNETCORE_", StringComparison.Ordinal))
            {
                env.Remove(name);
            }
        }

        env["MESOS_SANDBOX"] = record.Sandbox;
        env["MESOS_DIRECTORY"] = record.Sandbox;
        env["MESOS_TASK_ID"] = record.TaskId;
        env["MESOS_EXECUTOR_ID"] = record.TaskId;
        env["MESOS_FRAMEWORK_ID"] = record.FrameworkId;
        env["MESOS_AGENT_ID"] = agentId;
        env["MESOS_SLAVE_ID"] = agentId;
        env["MESOS_AGENT_ENDPOINT"] = $"{_options.Ip}:{Port}";
        env["HOST"] = Hostname;
        var ports = PortsOf(task);
        for (var i = 0; i < ports.Count; i++)
        {
            env[$"PORT{i}"] = ports[i].ToString(CultureInfo.InvariantCulture);
        }

        if (ports.Count > 0)
        {
            env["PORT"] = ports[0].ToString(CultureInfo.InvariantCulture);
            env["PORTS"] = string.Join(",", ports);
        }

        if (command.Environment is not null)
        {
            foreach (var variable in command.Environment.Variables)
            {
                env[variable.Name] = variable.Value;
            }
        }

        var environment = new List<string>(env.Count);
        foreach (var (name, value) in env)
        {
            environment.Add(name + "=" + value);
        }

        double? cpus = null;
        double? mem = null;
        if (_options.Cgroups)
        {
            cpus = ScalarOf(task, "cpus");
            mem = ScalarOf(task, "mem");
        }

        return new LaunchSpec(record.RunId, file, argv, environment, record.Sandbox, cpus, mem);
    }

    /// <summary>The task's ports, in the order its resources list them.</summary>
    internal static List<long> PortsOf(TaskInfo task)
    {
        var ports = new List<long>();
        foreach (var resource in task.Resources)
        {
            if (resource.Name == "ports" && resource.Ranges is not null)
            {
                foreach (var range in resource.Ranges.Range)
                {
                    for (var port = range.Begin; port <= range.End && ports.Count < 65536; port++)
                    {
                        ports.Add((long)port);
                    }
                }
            }
        }

        return ports;
    }

    private static double? ScalarOf(TaskInfo task, string name)
    {
        double? total = null;
        foreach (var resource in task.Resources)
        {
            if (resource.Name == name && resource.Scalar is not null)
            {
                total = (total ?? 0) + resource.Scalar.Value;
            }
        }

        return total;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ignoring a second launch of live task {TaskId}")]
    private static partial void LogDuplicateLaunch(ILogger logger, string taskId);
}
