using System.Globalization;
using System.Text;
using System.Text.Json;
using Mesos.V1;

namespace Cairn.Agent.Http;

/// <summary>The agent's /state document in Mesos' shape (resources as flat maps, times as float seconds).</summary>
public static class AgentStateJson
{
    /// <summary>Serializes a snapshot.</summary>
    public static byte[] Write(AgentSnapshot state, string ip, string master)
    {
        using var output = new MemoryStream();
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("id", state.AgentId ?? "");
            json.WriteString("hostname", state.Hostname);
            json.WriteNumber("port", state.Port);
            json.WriteString("pid", $"slave(1)@{ip}:{state.Port}");
            json.WriteString("master_hostname", master);
            json.WriteBoolean("registered", state.Registered);
            json.WritePropertyName("resources");
            WriteFlatResources(json, state.Resources);
            json.WritePropertyName("attributes");
            WriteAttributes(json, state.Attributes);
            json.WriteStartArray("frameworks");
            var byFramework = new SortedDictionary<string, List<TaskSnapshot>>(StringComparer.Ordinal);
            foreach (var task in state.Tasks)
            {
                if (!byFramework.TryGetValue(task.FrameworkId, out var list))
                {
                    byFramework[task.FrameworkId] = list = [];
                }

                list.Add(task);
            }

            foreach (var (frameworkId, tasks) in byFramework)
            {
                FrameworkInfo? info = null;
                foreach (var framework in state.Frameworks)
                {
                    if (framework.Id?.Value == frameworkId)
                    {
                        info = framework;
                    }
                }

                json.WriteStartObject();
                json.WriteString("id", frameworkId);
                json.WriteString("name", info?.Name ?? "");
                json.WriteString("user", info?.User ?? "");
                WriteExecutors(json, "executors", frameworkId, tasks, state.AgentId, completed: false);
                WriteExecutors(json, "completed_executors", frameworkId, tasks, state.AgentId, completed: true);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("completed_frameworks");
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return output.ToArray();
    }

    private static void WriteExecutors(Utf8JsonWriter json, string name, string frameworkId, List<TaskSnapshot> tasks, string? agentId, bool completed)
    {
        json.WriteStartArray(name);
        foreach (var task in tasks)
        {
            if (task.Completed != completed)
            {
                continue;
            }

            var terminal = Status.TaskStates.IsTerminal(task.State);
            json.WriteStartObject();
            json.WriteString("id", task.Info.TaskId.Value);
            json.WriteString("name", "Command Executor (Task: " + task.Info.TaskId.Value + ")");
            json.WriteString("source", task.Info.TaskId.Value);
            json.WriteString("framework_id", frameworkId);
            json.WriteString("directory", task.Directory);
            if (task.Pid is { } pid)
            {
                json.WriteNumber("pid", pid);
            }

            json.WritePropertyName("resources");
            WriteFlatResources(json, task.Info.Resources);
            json.WriteStartArray("tasks");
            if (!terminal)
            {
                WriteTask(json, frameworkId, task, agentId);
            }

            json.WriteEndArray();
            json.WriteStartArray("completed_tasks");
            if (terminal)
            {
                WriteTask(json, frameworkId, task, agentId);
            }

            json.WriteEndArray();
            json.WriteStartArray("queued_tasks");
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteTask(Utf8JsonWriter json, string frameworkId, TaskSnapshot task, string? agentId)
    {
        json.WriteStartObject();
        json.WriteString("id", task.Info.TaskId.Value);
        json.WriteString("name", task.Info.Name);
        json.WriteString("framework_id", frameworkId);
        json.WriteString("executor_id", "");
        json.WriteString("slave_id", agentId ?? "");
        json.WriteString("state", StateName(task.State));
        json.WritePropertyName("resources");
        WriteFlatResources(json, task.Info.Resources);
        json.WriteStartArray("statuses");
        foreach (var status in task.Statuses)
        {
            json.WriteStartObject();
            json.WriteString("state", StateName(status.State));
            json.WriteNumber("timestamp", status.Timestamp);
            if (status.HasMessage)
            {
                json.WriteString("message", status.Message);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>TASK_RUNNING etc., the proto enum name.</summary>
    public static string StateName(TaskState state) =>
        s_taskStates.FindValueByNumber((int)state)?.Name ?? state.ToString();

    private static readonly Google.Protobuf.Reflection.EnumDescriptor s_taskStates = MesosReflection.Descriptor.FindTypeByName<Google.Protobuf.Reflection.EnumDescriptor>("TaskState");

    /// <summary>Mesos' flat resource map: scalars summed, ranges as "[a-b, c-d]", sets as "{a,b}".</summary>
    public static void WriteFlatResources(Utf8JsonWriter json, IEnumerable<Resource> resources)
    {
        var scalars = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var ranges = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var sets = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            if (resource.Scalar is not null)
            {
                scalars[resource.Name] = (scalars.TryGetValue(resource.Name, out var v) ? v : 0) + resource.Scalar.Value;
            }
            else if (resource.Ranges is not null)
            {
                var parts = PartsOf(ranges, resource.Name);
                foreach (var range in resource.Ranges.Range)
                {
                    parts.Add(string.Create(CultureInfo.InvariantCulture, $"{range.Begin}-{range.End}"));
                }
            }
            else if (resource.Set is not null)
            {
                PartsOf(sets, resource.Name).AddRange(resource.Set.Item);
            }
        }

        json.WriteStartObject();
        foreach (var (name, value) in scalars)
        {
            json.WriteNumber(name, Math.Round(value, 3));
        }

        foreach (var (name, parts) in ranges)
        {
            json.WriteString(name, "[" + string.Join(", ", parts) + "]");
        }

        foreach (var (name, parts) in sets)
        {
            json.WriteString(name, "{" + string.Join(",", parts) + "}");
        }

        json.WriteEndObject();
    }

    private static List<string> PartsOf(SortedDictionary<string, List<string>> map, string name)
    {
        if (!map.TryGetValue(name, out var parts))
        {
            map[name] = parts = [];
        }

        return parts;
    }

    private static void WriteAttributes(Utf8JsonWriter json, IEnumerable<Mesos.V1.Attribute> attributes)
    {
        json.WriteStartObject();
        foreach (var attribute in attributes)
        {
            if (attribute.Text is not null)
            {
                json.WriteString(attribute.Name, attribute.Text.Value);
            }
            else if (attribute.Scalar is not null)
            {
                json.WriteNumber(attribute.Name, attribute.Scalar.Value);
            }
            else if (attribute.Ranges is not null)
            {
                var text = new StringBuilder("[");
                foreach (var range in attribute.Ranges.Range)
                {
                    text.Append(text.Length > 1 ? ", " : "").Append(CultureInfo.InvariantCulture, $"{range.Begin}-{range.End}");
                }

                json.WriteString(attribute.Name, text.Append(']').ToString());
            }
        }

        json.WriteEndObject();
    }
}
