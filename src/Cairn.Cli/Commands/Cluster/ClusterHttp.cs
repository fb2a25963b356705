using System.Text.Json;

namespace Cairn.Cli;

/// <summary>Operator reads the client commands need: /master/state, agent /state, sandbox paths.</summary>
internal sealed class ClusterHttp : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(10) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    public HttpClient Http => _http;

    /// <summary>http://host:port for a "host:port" or URL.</summary>
    public static Uri BaseUri(string address) =>
        new(address.Contains("://", StringComparison.Ordinal) ? address.TrimEnd('/') + "/" : "http://" + address + "/");

    /// <summary>GET /master/state as raw JSON text.</summary>
    public Task<string> MasterStateTextAsync(string master, CancellationToken cancellationToken) =>
        _http.GetStringAsync(new Uri(BaseUri(master), "master/state"), cancellationToken);

    /// <summary>GET /master/state parsed.</summary>
    public async Task<JsonDocument> MasterStateAsync(string master, CancellationToken cancellationToken) =>
        JsonDocument.Parse(await MasterStateTextAsync(master, cancellationToken));

    /// <summary>The agent's base URL from its entry in /master/state (pid "slave(1)@ip:port", else hostname:port).</summary>
    public static Uri? AgentUri(JsonElement state, string agentId)
    {
        if (!state.TryGetProperty("slaves", out var slaves))
        {
            return null;
        }

        foreach (var slave in slaves.EnumerateArray())
        {
            if (Str(slave, "id") != agentId)
            {
                continue;
            }

            var pid = Str(slave, "pid");
            var at = pid?.IndexOf('@', StringComparison.Ordinal) ?? -1;
            if (pid is not null && at >= 0)
            {
                return BaseUri(pid[(at + 1)..]);
            }

            if (Str(slave, "hostname") is { } host && slave.TryGetProperty("port", out var port))
            {
                return BaseUri($"{host}:{port.GetInt32()}");
            }
        }

        return null;
    }

    /// <summary>A task in /master/state (active, unreachable or completed), with its framework id.</summary>
    public static (JsonElement Task, string FrameworkId)? FindTask(JsonElement state, string taskId)
    {
        (JsonElement, string)? found = null;
        foreach (var listName in (ReadOnlySpan<string>)["frameworks", "completed_frameworks"])
        {
            if (!state.TryGetProperty(listName, out var frameworks))
            {
                continue;
            }

            foreach (var framework in frameworks.EnumerateArray())
            {
                foreach (var tasksName in (ReadOnlySpan<string>)["tasks", "unreachable_tasks", "completed_tasks"])
                {
                    if (!framework.TryGetProperty(tasksName, out var tasks))
                    {
                        continue;
                    }

                    foreach (var task in tasks.EnumerateArray())
                    {
                        // A live task wins over an older completed one with the same id.
                        if (Str(task, "id") == taskId && found is null)
                        {
                            found = (task, Str(task, "framework_id") ?? Str(framework, "id") ?? "");
                        }
                    }
                }
            }
        }

        return found;
    }

    /// <summary>The sandbox directory of a task's executor on an agent, from the agent's /state.</summary>
    public async Task<string?> SandboxAsync(Uri agent, string frameworkId, string taskId, CancellationToken cancellationToken)
    {
        using var state = JsonDocument.Parse(await _http.GetStringAsync(new Uri(agent, "state"), cancellationToken));
        if (!state.RootElement.TryGetProperty("frameworks", out var frameworks))
        {
            return null;
        }

        foreach (var framework in frameworks.EnumerateArray())
        {
            if (Str(framework, "id") != frameworkId)
            {
                continue;
            }

            string? directory = null;
            foreach (var listName in (ReadOnlySpan<string>)["completed_executors", "executors"])
            {
                if (!framework.TryGetProperty(listName, out var executors))
                {
                    continue;
                }

                foreach (var executor in executors.EnumerateArray())
                {
                    if (Str(executor, "id") == taskId)
                    {
                        directory = Str(executor, "directory");
                    }
                }
            }

            if (directory is not null)
            {
                return directory;
            }
        }

        return null;
    }

    public static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public void Dispose() => _http.Dispose();
}
