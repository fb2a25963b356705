using System.Net;
using Cairn.Agent.Containerizer;
using Cairn.Agent.Http;
using Cairn.Agent.Link;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cairn.Agent;

/// <summary>
/// A running agent process: the agent loop, the master link, and the HTTP server on the agent port
/// (/health, /state, /files/browse, /files/read).
/// </summary>
public sealed class AgentHost : IAsyncDisposable
{
    private readonly WebApplication _web;
    private readonly Agent _agent;
    private readonly MasterLink _link;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly Task _linkLoop;
    private readonly AgentOptions _options;

    private AgentHost(WebApplication web, Agent agent, MasterLink link, AgentOptions options, string url)
    {
        _web = web;
        _agent = agent;
        _link = link;
        _options = options;
        Url = url;
        _loop = agent.RunAsync(_stop.Token);
        _linkLoop = link.RunAsync(agent.BuildRegisterAsync, agent.OnLinkEvent, agent.OnLinkLost, _stop.Token);
    }

    /// <summary>http://ip:port of the agent's HTTP server.</summary>
    public string Url { get; }

    /// <summary>The agent.</summary>
    public Agent Agent => _agent;

    /// <summary>Completes when the master refused the agent (ERROR event), with its message.</summary>
    public Task<string> Refused => _refused.Task;

    private readonly TaskCompletionSource<string> _refused = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Recovers checkpointed state, binds the HTTP port and starts registering with the master.
    /// <paramref name="announce"/> receives human-readable lifecycle lines (registered, re-registered).
    /// </summary>
    public static async Task<AgentHost> StartAsync(AgentOptions options, ILoggerFactory loggerFactory, Action<string> announce, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.WorkDir);
        var cgroups = options.Cgroups ? new CgroupsV1() : null;
        if (cgroups is { IsAvailable: false })
        {
            throw new InvalidOperationException("--cgroups needs the cgroups v1 cpu and memory hierarchies under /sys/fs/cgroup");
        }

        var containerizer = new ProcessContainerizer(cgroups, TimeProvider.System);
        var link = new MasterLink(options.Master, loggerFactory.CreateLogger("Cairn.Agent.Link"));
        var agent = new Agent(options, containerizer, link, TimeProvider.System, loggerFactory.CreateLogger("Cairn.Agent"));

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Parse(options.Ip), options.Port));
        var web = builder.Build();
        MapEndpoints(web, agent, options);
        await web.StartAsync(cancellationToken);
        var address = web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        agent.Port = new Uri(address).Port;
        agent.Recover();

        var host = new AgentHost(web, agent, link, options, $"http://{options.Ip}:{agent.Port}");
        agent.Registered += (id, again) => announce(again
            ? $"cairn agent: re-registered with master {options.Master} as {id}"
            : $"cairn agent: registered with master {options.Master} as {id}");
        agent.Refused += message => host._refused.TrySetResult(message);
        return host;
    }

    private static void MapEndpoints(WebApplication web, Agent agent, AgentOptions options)
    {
        var files = new SandboxFiles(agent.Layout, () => agent.CurrentAgentId);
        web.MapGet("/health", () => Results.Ok());
        web.MapGet("/state", async context => await WriteJsonAsync(context, AgentStateJson.Write(await agent.SnapshotAsync(context.RequestAborted), options.Ip, options.Master)));
        web.MapGet("/slave(1)/state", async context => await WriteJsonAsync(context, AgentStateJson.Write(await agent.SnapshotAsync(context.RequestAborted), options.Ip, options.Master)));
        web.MapGet("/files/read", async context =>
        {
            var query = context.Request.Query;
            if (files.Resolve(query["path"]) is not { } path)
            {
                await WriteErrorAsync(context, StatusCodes.Status404NotFound, "No such file or directory");
                return;
            }

            if (Directory.Exists(path))
            {
                await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "Cannot read a directory");
                return;
            }

            if (!TryLong(query["offset"], 0, out var offset) || !TryLong(query["length"], -1, out var length))
            {
                await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "offset and length must be integers");
                return;
            }

            if (SandboxFiles.Read(path, offset, length) is not { } body)
            {
                await WriteErrorAsync(context, StatusCodes.Status404NotFound, "No such file or directory");
                return;
            }

            await WriteJsonAsync(context, body);
        });
        web.MapGet("/files/browse", async context =>
        {
            if (files.Resolve(context.Request.Query["path"]) is not { } path || SandboxFiles.Browse(path) is not { } body)
            {
                await WriteErrorAsync(context, StatusCodes.Status404NotFound, "No such directory");
                return;
            }

            await WriteJsonAsync(context, body);
        });
    }

    private static bool TryLong(string? text, long fallback, out long value)
    {
        if (string.IsNullOrEmpty(text))
        {
            value = fallback;
            return true;
        }

        return long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    private static async Task WriteJsonAsync(HttpContext context, byte[] body)
    {
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(message, context.RequestAborted);
    }

    /// <summary>
    /// Graceful stop: kills every task (SIGTERM, SIGKILL after its grace period), sends their final updates,
    /// unregisters, then stops the loops and the HTTP server.
    /// </summary>
    public async Task StopAsync()
    {
        using var limit = new CancellationTokenSource(_options.DefaultKillGracePeriod + TimeSpan.FromSeconds(60));
        try
        {
            await _agent.ShutdownAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            // processes that ignore SIGKILL are beyond us; stop anyway
        }

        await _stop.CancelAsync();
        await Task.WhenAll(_loop, _linkLoop);
        await _web.StopAsync(CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
        }

        try
        {
            await Task.WhenAll(_loop, _linkLoop);
        }
        catch (OperationCanceledException)
        {
        }

        await _web.DisposeAsync();
        _link.Dispose();
        _stop.Dispose();
    }
}
