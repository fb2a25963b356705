using System.Globalization;
using System.Text.Json;
using Cairn.Api.Conversions;
using Cairn.Api.Json;
using Cairn.Master.Model;
using Mesos.V1;

namespace Cairn.Master.Core;

/// <summary>The operator view: /master/state, /master/frameworks, /master/slaves (mesos.md §4.3).</summary>
public sealed partial class MasterCore
{
    /// <summary>Writes /master/state.</summary>
    public void WriteState(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var activated = 0;
        var deactivated = 0;
        var unreachable = 0;
        foreach (var agent in _agents.Values)
        {
            if (agent.Active)
            {
                activated++;
            }
            else if (agent.UnreachableTime is not null)
            {
                unreachable++;
            }
            else
            {
                deactivated++;
            }
        }

        writer.WriteStartObject();
        writer.WriteString("version", MesosCompatibleVersion);
        writer.WriteString("build_user", "cairn");
        writer.WriteNumber("start_time", Seconds(StartTime));
        writer.WriteNumber("elected_time", Seconds(StartTime));
        writer.WriteString("id", MasterId);
        writer.WriteString("pid", Info.Pid);
        writer.WriteString("hostname", Info.Hostname);
        writer.WriteNumber("activated_slaves", activated);
        writer.WriteNumber("deactivated_slaves", deactivated);
        writer.WriteNumber("unreachable_slaves", unreachable);
        writer.WriteString("leader", Info.Pid);
        writer.WritePropertyName("leader_info");
        MesosJson.Write(writer, Info);
        writer.WriteStartObject("flags");
        WriteFlags(writer);
        writer.WriteEndObject();
        writer.WriteStartArray("slaves");
        foreach (var agent in _agents.Values)
        {
            if (!agent.Recovered)
            {
                WriteAgent(writer, agent);
            }
        }

        writer.WriteEndArray();
        writer.WriteStartArray("recovered_slaves");
        foreach (var agent in _agents.Values)
        {
            if (agent.Recovered)
            {
                writer.WriteStartObject();
                writer.WriteString("id", agent.Id);
                writer.WriteString("hostname", agent.Info.Hostname);
                writer.WriteNumber("port", agent.Info.Port);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
        writer.WriteStartArray("frameworks");
        foreach (var framework in _frameworks.Values)
        {
            WriteFramework(writer, framework, active: framework.Connected);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("completed_frameworks");
        foreach (var framework in _completedFrameworks)
        {
            WriteFramework(writer, framework, active: false);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("orphan_tasks");
        writer.WriteEndArray();
        writer.WriteStartArray("unregistered_frameworks");
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Writes /master/frameworks.</summary>
    public void WriteFrameworks(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartArray("frameworks");
        foreach (var framework in _frameworks.Values)
        {
            WriteFramework(writer, framework, active: framework.Connected);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("completed_frameworks");
        foreach (var framework in _completedFrameworks)
        {
            WriteFramework(writer, framework, active: false);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("unregistered_frameworks");
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Writes /master/slaves.</summary>
    public void WriteSlaves(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartArray("slaves");
        foreach (var agent in _agents.Values)
        {
            if (!agent.Recovered)
            {
                WriteAgent(writer, agent);
            }
        }

        writer.WriteEndArray();
        writer.WriteStartArray("recovered_slaves");
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private void WriteFlags(Utf8JsonWriter writer)
    {
        writer.WriteString("ip", _options.Ip);
        writer.WriteString("port", Info.Port.ToString(CultureInfo.InvariantCulture));
        writer.WriteString("hostname", _options.AdvertisedHostname);
        writer.WriteString("work_dir", _options.WorkDir ?? string.Empty);
        writer.WriteString("allocation_interval", Cairn.Master.Options.MesosDuration.Format(_options.AllocationInterval));
        writer.WriteString("agent_ping_timeout", Cairn.Master.Options.MesosDuration.Format(_options.AgentPingTimeout));
        writer.WriteString("max_agent_ping_timeouts", _options.MaxAgentPingTimeouts.ToString(CultureInfo.InvariantCulture));
        if (_options.OfferTimeout is { } offerTimeout)
        {
            writer.WriteString("offer_timeout", Cairn.Master.Options.MesosDuration.Format(offerTimeout));
        }

        if (_options.Weights.Count > 0)
        {
            writer.WriteString("weights", string.Join(',', _options.Weights.Select(w => $"{w.Key}={w.Value.ToString(CultureInfo.InvariantCulture)}")));
        }

        if (_options.Roles.Count > 0)
        {
            writer.WriteString("roles", string.Join(',', _options.Roles));
        }
    }

    private void WriteAgent(Utf8JsonWriter writer, AgentRecord agent)
    {
        var total = ResourceConversions.TryFromProto(agent.Info.Resources, out var parsed, out _) ? parsed : Cairn.Common.Resources.Empty;
        var used = Cairn.Common.Resources.Empty;
        foreach (var task in agent.Tasks.Values)
        {
            if (!task.IsTerminal)
            {
                used += ResourcesOf(task).Unallocated();
            }
        }

        var offered = Cairn.Common.Resources.Empty;
        foreach (var offerId in agent.OfferIds)
        {
            offered += _offers[offerId].Resources.Unallocated();
        }

        writer.WriteStartObject();
        writer.WriteString("id", agent.Id);
        writer.WriteString("hostname", agent.Info.Hostname);
        writer.WriteNumber("port", agent.Info.HasPort ? agent.Info.Port : 5051);
        writer.WriteString("pid", $"slave(1)@{agent.Info.Hostname}:{(agent.Info.HasPort ? agent.Info.Port : 5051)}");
        writer.WriteNumber("registered_time", Seconds(agent.RegisteredTime));
        if (agent.ReregisteredTime is { } reregistered)
        {
            writer.WriteNumber("reregistered_time", Seconds(reregistered));
        }

        writer.WritePropertyName("resources");
        WriteFlatResources(writer, total);
        writer.WritePropertyName("used_resources");
        WriteFlatResources(writer, used);
        writer.WritePropertyName("offered_resources");
        WriteFlatResources(writer, offered);
        writer.WritePropertyName("unreserved_resources");
        WriteFlatResources(writer, total.Unreserved());
        writer.WriteStartObject("reserved_resources");
        foreach (var role in ReservedRoles(total))
        {
            writer.WritePropertyName(role);
            WriteFlatResources(writer, total.ReservedTo(role));
        }

        writer.WriteEndObject();
        writer.WriteStartObject("attributes");
        foreach (var attribute in agent.Info.Attributes)
        {
            switch (attribute.Type)
            {
                case Value.Types.Type.Scalar:
                    writer.WriteNumber(attribute.Name, attribute.Scalar.Value);
                    break;
                case Value.Types.Type.Text:
                    writer.WriteString(attribute.Name, attribute.Text.Value);
                    break;
                case Value.Types.Type.Ranges:
                    writer.WriteString(attribute.Name, "[" + string.Join(", ", attribute.Ranges.Range.Select(r => $"{r.Begin}-{r.End}")) + "]");
                    break;
                case Value.Types.Type.Set:
                    writer.WriteString(attribute.Name, "{" + string.Join(", ", attribute.Set.Item) + "}");
                    break;
                default:
                    break;
            }
        }

        writer.WriteEndObject();
        writer.WriteBoolean("active", agent.Active);
        writer.WriteBoolean("deactivated", false);
        writer.WriteString("version", agent.Version ?? MesosCompatibleVersion);
        writer.WriteStartArray("capabilities");
        writer.WriteEndArray();
        if (agent.UnreachableTime is { } unreachableTime)
        {
            writer.WriteNumber("unreachable_time", Seconds(unreachableTime));
        }

        writer.WriteEndObject();
    }

    private static IEnumerable<string> ReservedRoles(Cairn.Common.Resources resources)
    {
        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            if (resource.IsReserved)
            {
                roles.Add(resource.Role);
            }
        }

        return roles;
    }

    private void WriteFramework(Utf8JsonWriter writer, FrameworkRecord framework, bool active)
    {
        var used = Cairn.Common.Resources.Empty;
        foreach (var task in framework.Tasks.Values)
        {
            if (!task.IsTerminal)
            {
                used += ResourcesOf(task).Unallocated();
            }
        }

        var offered = Cairn.Common.Resources.Empty;
        foreach (var offerId in framework.OfferIds)
        {
            offered += _offers[offerId].Resources.Unallocated();
        }

        var info = framework.Info;
        writer.WriteStartObject();
        writer.WriteString("id", framework.Id);
        writer.WriteString("name", info.Name);
        writer.WriteString("user", info.User);
        writer.WriteString("hostname", info.HasHostname ? info.Hostname : string.Empty);
        writer.WriteString("webui_url", info.HasWebuiUrl ? info.WebuiUrl : string.Empty);
        if (info.HasPrincipal)
        {
            writer.WriteString("principal", info.Principal);
        }

        writer.WriteNumber("failover_timeout", info.FailoverTimeout);
        writer.WriteBoolean("checkpoint", info.Checkpoint);
        writer.WriteBoolean("active", active);
        writer.WriteBoolean("connected", framework.Connected);
        writer.WriteBoolean("recovered", framework.Recovered);
        writer.WriteNumber("registered_time", Seconds(framework.RegisteredTime));
        if (framework.ReregisteredTime is { } reregistered)
        {
            writer.WriteNumber("reregistered_time", Seconds(reregistered));
        }

        writer.WriteNumber("unregistered_time", framework.UnregisteredTime is { } unregistered ? Seconds(unregistered) : 0);
        writer.WriteStartArray("roles");
        foreach (var role in framework.Roles)
        {
            writer.WriteStringValue(role);
        }

        writer.WriteEndArray();
        writer.WriteString("role", framework.Roles.Count > 0 ? framework.Roles[0] : "*");
        writer.WriteStartArray("capabilities");
        foreach (var capability in info.Capabilities)
        {
            writer.WriteStringValue(ProtoEnumNames.Name(capability.Type));
        }

        writer.WriteEndArray();
        writer.WritePropertyName("resources");
        WriteFlatResources(writer, used + offered);
        writer.WritePropertyName("used_resources");
        WriteFlatResources(writer, used);
        writer.WritePropertyName("offered_resources");
        WriteFlatResources(writer, offered);
        writer.WriteStartArray("tasks");
        foreach (var task in framework.Tasks.Values)
        {
            WriteTask(writer, task);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("unreachable_tasks");
        foreach (var task in framework.UnreachableTasks.Values)
        {
            WriteTask(writer, task);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("completed_tasks");
        foreach (var task in framework.CompletedTasks)
        {
            WriteTask(writer, task);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("offers");
        foreach (var offerId in framework.OfferIds)
        {
            var offer = _offers[offerId];
            writer.WriteStartObject();
            writer.WriteString("id", offer.Id);
            writer.WriteString("framework_id", offer.FrameworkId);
            writer.WriteString("slave_id", offer.AgentId);
            writer.WritePropertyName("resources");
            WriteFlatResources(writer, offer.Resources.Unallocated());
            writer.WriteStartObject("allocation_info");
            writer.WriteString("role", offer.Role);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartArray("executors");
        writer.WriteEndArray();
        if (info.Labels is { } labels)
        {
            writer.WriteStartArray("labels");
            foreach (var label in labels.Labels_)
            {
                writer.WriteStartObject();
                writer.WriteString("key", label.Key);
                if (label.HasValue)
                {
                    writer.WriteString("value", label.Value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteTask(Utf8JsonWriter writer, TaskRecord record)
    {
        var task = record.Task;
        writer.WriteStartObject();
        writer.WriteString("id", task.TaskId.Value);
        writer.WriteString("name", task.Name);
        writer.WriteString("framework_id", task.FrameworkId.Value);
        writer.WriteString("executor_id", task.ExecutorId?.Value ?? string.Empty);
        writer.WriteString("slave_id", task.AgentId.Value);
        writer.WriteString("state", task.State.ToProtoName());
        writer.WriteString("role", record.Role);
        if (task.HasUser)
        {
            writer.WriteString("user", task.User);
        }

        writer.WritePropertyName("resources");
        WriteFlatResources(writer, ResourcesOf(record).Unallocated());
        writer.WriteStartArray("statuses");
        foreach (var status in task.Statuses)
        {
            writer.WriteStartObject();
            writer.WriteString("state", status.State.ToProtoName());
            writer.WriteNumber("timestamp", status.Timestamp);
            if (status.HasHealthy)
            {
                writer.WriteBoolean("healthy", status.Healthy);
            }

            if (status.ContainerStatus is { } container)
            {
                writer.WritePropertyName("container_status");
                MesosJson.Write(writer, container);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (task.Labels is { } labels)
        {
            writer.WritePropertyName("labels");
            writer.WriteStartArray();
            foreach (var label in labels.Labels_)
            {
                writer.WriteStartObject();
                writer.WriteString("key", label.Key);
                if (label.HasValue)
                {
                    writer.WriteString("value", label.Value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        if (task.Discovery is { } discovery)
        {
            writer.WritePropertyName("discovery");
            MesosJson.Write(writer, discovery);
        }

        if (task.Container is { } taskContainer)
        {
            writer.WritePropertyName("container");
            MesosJson.Write(writer, taskContainer);
        }

        writer.WriteEndObject();
    }

    /// <summary>Mesos' flat resource map: scalars summed by name, ranges and sets as text.</summary>
    private static void WriteFlatResources(Utf8JsonWriter writer, Cairn.Common.Resources resources)
    {
        var scalars = new SortedDictionary<string, double>(StringComparer.Ordinal) { ["cpus"] = 0, ["mem"] = 0, ["disk"] = 0, ["gpus"] = 0 };
        var texts = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var resource in resources)
        {
            switch (resource.Kind)
            {
                case Cairn.Common.ResourceKind.Scalar:
                    scalars[resource.Name] = scalars.GetValueOrDefault(resource.Name) + resource.Scalar;
                    break;
                default:
                    texts[resource.Name] = texts.TryGetValue(resource.Name, out var existing)
                        ? existing + ", " + resource.FormatValue()
                        : resource.FormatValue();
                    break;
            }
        }

        writer.WriteStartObject();
        foreach (var (name, value) in scalars)
        {
            writer.WriteNumber(name, Math.Round(value, 3));
        }

        foreach (var (name, value) in texts)
        {
            writer.WriteString(name, value);
        }

        writer.WriteEndObject();
    }

    private static double Seconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;
}
