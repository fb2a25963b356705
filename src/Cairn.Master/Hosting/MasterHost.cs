using Cairn.Master.Allocation;
using Cairn.Master.Core;
using Cairn.Master.Http;
using Cairn.Master.Options;
using Cairn.Master.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cairn.Master.Hosting;

/// <summary>
/// A running master: Kestrel with the scheduler API, the agent link and the operator endpoints,
/// the actor loop, and the registry writer.
/// </summary>
public sealed class MasterHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly MasterLoop _loop;
    private readonly RegistryWriter _registry;

    private MasterHost(WebApplication app, MasterLoop loop, RegistryWriter registry, MasterCore core, Uri address)
    {
        _app = app;
        _loop = loop;
        _registry = registry;
        MasterId = core.MasterId;
        Address = address;
    }

    public string MasterId { get; }

    /// <summary>http://ip:port the master listens on.</summary>
    public Uri Address { get; }

    public MasterLoop Loop => _loop;

    /// <summary>Starts a master. <paramref name="allocatorFactory"/> defaults to the weighted DRF allocator.</summary>
    public static async Task<MasterHost> StartAsync(
        MasterOptions options,
        ILoggerFactory loggerFactory,
        TimeProvider? time = null,
        Func<MasterOptions, TimeProvider, IOfferAllocator>? allocatorFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        time ??= TimeProvider.System;
        var logger = loggerFactory.CreateLogger("Cairn.Master");
        var file = options.WorkDir is { } workDir ? new RegistryFile(workDir) : null;
        var recovered = file?.Load();
        var allocator = (allocatorFactory ?? DrfOfferAllocator.Create)(options, time);
        var core = new MasterCore(options, time, allocator, logger, recovered);

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Parse(options.Ip), options.Port);
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(10);
        });
        var app = builder.Build();

        var tick = options.AllocationInterval < TimeSpan.FromMilliseconds(100) ? options.AllocationInterval : TimeSpan.FromMilliseconds(100);
        var loop = new MasterLoop(core, time, tick, logger);
        var registry = new RegistryWriter(file, recovered?.Version ?? 0, async ct => await loop.InvokeAsync(static c => (c.Registry.Version, c.Registry.Serialize())).ConfigureAwait(false), logger);
        var scheduler = new SchedulerEndpoint(loop, registry);
        var agents = new AgentLinkEndpoint(loop, registry);
        app.Map("/api/v1/scheduler", scheduler.HandleAsync);
        app.Map("/master/api/v1/scheduler", scheduler.HandleAsync);
        app.Map("/cairn/v1/agent", agents.HandleAsync);
        OperatorEndpoints.Map(app, loop, metrics =>
        {
            metrics["registrar/state_store_ms"] = registry.LastWriteMs;
            metrics["registrar/writes"] = registry.Writes;
            metrics["master/event_queue_dispatches"] = loop.QueueLength;
            return metrics;
        });
        app.MapFallback(static context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });

        registry.Start();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await loop.DisposeAsync().ConfigureAwait(false);
            await registry.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(bound).Port;
        await loop.InvokeAsync(c =>
        {
            c.SetBoundPort(port);
            return true;
        }).ConfigureAwait(false);
        return new MasterHost(app, loop, registry, core, new Uri($"http://{options.Ip}:{port}"));
    }

    public async ValueTask DisposeAsync()
    {
        // Long-lived streams would hold Kestrel's shutdown until its timeout: end them first.
        await _loop.InvokeAsync(static c =>
        {
            c.CloseAllStreams();
            return true;
        }).ConfigureAwait(false);
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        // The registry writer takes snapshots through the loop: stop it first.
        await _registry.DisposeAsync().ConfigureAwait(false);
        await _loop.DisposeAsync().ConfigureAwait(false);
    }
}
