using System.Buffers;
using System.Text.Json;
using Cairn.Api.Json;
using Mesos.V1;

namespace Cairn.Master.Registry;

/// <summary>
/// What the master persists: the agents it admitted and the frameworks it knows, with their
/// FrameworkInfo (and so failover_timeout). Mutated on the master's loop; every mutation bumps
/// <see cref="Version"/>, and the <see cref="RegistryWriter"/> makes versions durable in batches.
/// </summary>
public sealed class RegistryState
{
    public Dictionary<string, AgentEntry> Agents { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FrameworkEntry> Frameworks { get; } = new(StringComparer.Ordinal);

    /// <summary>Incremented on every change.</summary>
    public long Version { get; private set; }

    public void PutAgent(string id, string hostname, int port)
    {
        if (Agents.TryGetValue(id, out var existing) && existing.Hostname == hostname && existing.Port == port)
        {
            return;
        }

        Agents[id] = new AgentEntry(id, hostname, port);
        Version++;
    }

    public void RemoveAgent(string id)
    {
        if (Agents.Remove(id))
        {
            Version++;
        }
    }

    public void PutFramework(FrameworkInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (Frameworks.TryGetValue(info.Id.Value, out var existing) && existing.Info.Equals(info))
        {
            return;
        }

        Frameworks[info.Id.Value] = new FrameworkEntry(info.Clone());
        Version++;
    }

    public void RemoveFramework(string id)
    {
        if (Frameworks.Remove(id))
        {
            Version++;
        }
    }

    /// <summary>Serialises the registry (JSON; framework infos in Mesos JSON).</summary>
    public byte[] Serialize()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("version", Version);
            writer.WriteStartArray("agents");
            foreach (var agent in Agents.Values)
            {
                writer.WriteStartObject();
                writer.WriteString("id", agent.Id);
                writer.WriteString("hostname", agent.Hostname);
                writer.WriteNumber("port", agent.Port);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("frameworks");
            foreach (var framework in Frameworks.Values)
            {
                MesosJson.Write(writer, framework.Info);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a registry written by <see cref="Serialize"/>.</summary>
    public static RegistryState Deserialize(ReadOnlySpan<byte> utf8)
    {
        var state = new RegistryState();
        var reader = new Utf8JsonReader(utf8);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.TryGetProperty("agents", out var agents))
        {
            foreach (var agent in agents.EnumerateArray())
            {
                var id = agent.GetProperty("id").GetString() ?? throw new InvalidDataException("agent without id");
                state.Agents[id] = new AgentEntry(id, agent.GetProperty("hostname").GetString() ?? string.Empty, agent.GetProperty("port").GetInt32());
            }
        }

        if (root.TryGetProperty("frameworks", out var frameworks))
        {
            foreach (var framework in frameworks.EnumerateArray())
            {
                var info = MesosJson.Parse<FrameworkInfo>(framework.GetRawText());
                state.Frameworks[info.Id.Value] = new FrameworkEntry(info);
            }
        }

        state.Version = root.TryGetProperty("version", out var version) ? version.GetInt64() : 0;
        return state;
    }
}

/// <summary>An admitted agent.</summary>
public sealed record AgentEntry(string Id, string Hostname, int Port);

/// <summary>A known framework.</summary>
public sealed record FrameworkEntry(FrameworkInfo Info);
