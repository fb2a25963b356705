using Cairn.Api.AgentLink;
using Mesos.V1;

namespace Cairn.Agent;

public sealed partial class Agent
{
    private AgentCall BuildRegisterCall()
    {
        var info = new AgentInfo { Hostname = Hostname, Port = Port };
        info.Resources.AddRange(_options.Resources);
        info.Attributes.AddRange(_options.Attributes);
        var register = new AgentCall.Types.Register { AgentInfo = info, Version = typeof(Agent).Assembly.GetName().Version?.ToString() ?? "0" };
        var call = new AgentCall { Type = AgentCall.Types.Type.Register, Register = register };
        if (_agentId is { } id)
        {
            info.Id = new AgentID { Value = id };
            call.AgentId = info.Id;
        }

        var frameworks = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in _tasks.Values)
        {
            var task = new Mesos.V1.Task
            {
                Name = record.Info.Name,
                TaskId = record.Info.TaskId,
                FrameworkId = new FrameworkID { Value = record.FrameworkId },
                State = record.State,
            };
            if (info.Id is not null)
            {
                task.AgentId = info.Id;
            }

            task.Resources.AddRange(record.Info.Resources);
            if (record.Updates.Head is { } head)
            {
                task.StatusUpdateState = head.State;
                task.StatusUpdateUuid = head.Uuid;
            }

            if (record.Statuses.Count > 0)
            {
                task.Statuses.Add(record.Statuses[^1]);
            }

            register.Tasks.Add(task);
            if (frameworks.Add(record.FrameworkId) && _frameworks.TryGetValue(record.FrameworkId, out var framework))
            {
                register.Frameworks.Add(framework);
            }
        }

        return call;
    }

    private AgentSnapshot Snapshot()
    {
        var tasks = new List<TaskSnapshot>(_tasks.Count + _completed.Count);
        foreach (var record in _tasks.Values)
        {
            tasks.Add(ToSnapshot(record, completed: false));
        }

        foreach (var record in _completed)
        {
            tasks.Add(ToSnapshot(record, completed: true));
        }

        return new AgentSnapshot(_agentId, Hostname, Port, _linkId is not null, _options.Resources, _options.Attributes, [.. _frameworks.Values], tasks);
    }

    private static TaskSnapshot ToSnapshot(TaskRecord record, bool completed) =>
        new(record.FrameworkId, record.Info, record.State, record.Sandbox, record.ProcessGone ? null : record.Process?.Pid, [.. record.Statuses], completed);
}
