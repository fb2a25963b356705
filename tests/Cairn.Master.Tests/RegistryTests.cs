using System.Net;
using System.Text.Json;
using Cairn.Api.AgentLink;
using Cairn.Master.Registry;
using Mesos.V1;
using Microsoft.Extensions.Logging.Abstractions;
using Task = System.Threading.Tasks.Task;

namespace Cairn.Master.Tests;

public sealed class RegistryTests
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public void Registry_round_trips_agents_and_framework_infos()
    {
        var state = new RegistryState();
        state.PutAgent("m-S0", "host-a", 5051);
        state.PutFramework(new FrameworkInfo { Id = new FrameworkID { Value = "m-0000" }, User = "u", Name = "fw", FailoverTimeout = 604800 });
        var copy = RegistryState.Deserialize(state.Serialize());
        copy.Agents["m-S0"].ShouldBe(new AgentEntry("m-S0", "host-a", 5051));
        copy.Frameworks["m-0000"].Info.FailoverTimeout.ShouldBe(604800);
        copy.Version.ShouldBe(state.Version);
    }

    [Fact]
    public async Task File_writes_replace_the_registry_atomically()
    {
        var dir = Directory.CreateTempSubdirectory("cairn-registry-").FullName;
        try
        {
            var file = new RegistryFile(dir);
            file.Load().ShouldBeNull();
            var state = new RegistryState();
            state.PutAgent("a", "h", 1);
            await file.WriteAsync(state.Serialize(), Timeout);
            state.PutAgent("b", "h", 2);
            await file.WriteAsync(state.Serialize(), Timeout);
            file.Load()!.Agents.Keys.Order().ShouldBe(["a", "b"]);
            Directory.GetFiles(dir).Select(Path.GetFileName).ShouldBe(["registry.json"]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Many_waiters_are_answered_by_a_few_coalesced_writes()
    {
        var dir = Directory.CreateTempSubdirectory("cairn-registry-").FullName;
        try
        {
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var snapshots = 0;
            long version = 0;
            var writer = new RegistryWriter(new RegistryFile(dir), 0, async ct =>
            {
                snapshots++;
                await release.Task.WaitAsync(ct);
                return (Volatile.Read(ref version), "{}"u8.ToArray());
            }, NullLogger.Instance);
            writer.Start();
            var waits = new List<Task>();
            for (var i = 1; i <= 100; i++)
            {
                Volatile.Write(ref version, i);
                waits.Add(writer.WaitDurableAsync(i));
            }

            release.SetResult();
            await Task.WhenAll(waits).WaitAsync(Timeout);
            writer.Writes.ShouldBeLessThanOrEqualTo(2);
            snapshots.ShouldBeLessThanOrEqualTo(2);
            await writer.DisposeAsync();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_restarted_master_recognises_its_agents_and_frameworks()
    {
        var dir = Directory.CreateTempSubdirectory("cairn-master-restart-").FullName;
        string agentId;
        string frameworkId;
        await using (var master = await MasterServer.StartAsync(dir))
        {
            using var agent = await SchedulerApiTests.RegisterAgentAsync(master, "cpus:1;mem:512");
            var events = new RecordIoStream(await agent.Content.ReadAsStreamAsync());
            agentId = AgentEvent.Parser.ParseFrom(await events.NextAsync(Timeout)).Registered.AgentId.Value;
            using var subscription = await master.PostAsync("/api/v1/scheduler", MasterServer.Json("""{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"kept","failover_timeout":3600}}}"""), completion: HttpCompletionOption.ResponseHeadersRead);
            var stream = new RecordIoStream(await subscription.Content.ReadAsStreamAsync());
            using var subscribed = JsonDocument.Parse(await stream.NextJsonAsync(Timeout));
            frameworkId = subscribed.RootElement.GetProperty("subscribed").GetProperty("framework_id").GetProperty("value").GetString()!;
        }

        await using (var master = await MasterServer.StartAsync(dir))
        {
            using (var state = JsonDocument.Parse(await master.Client.GetStringAsync("/master/state")))
            {
                state.RootElement.GetProperty("recovered_slaves")[0].GetProperty("id").GetString().ShouldBe(agentId);
                var framework = state.RootElement.GetProperty("frameworks")[0];
                framework.GetProperty("id").GetString().ShouldBe(frameworkId);
                framework.GetProperty("recovered").GetBoolean().ShouldBeTrue();
                framework.GetProperty("connected").GetBoolean().ShouldBeFalse();
            }

            using var agent = await SchedulerApiTests.RegisterAgentAsync(master, "cpus:1;mem:512", agentId: agentId);
            var events = new RecordIoStream(await agent.Content.ReadAsStreamAsync());
            AgentEvent.Parser.ParseFrom(await events.NextAsync(Timeout)).Registered.AgentId.Value.ShouldBe(agentId);
            using (var state = JsonDocument.Parse(await master.Client.GetStringAsync("/master/state")))
            {
                state.RootElement.GetProperty("slaves")[0].GetProperty("id").GetString().ShouldBe(agentId);
                state.RootElement.GetProperty("recovered_slaves").GetArrayLength().ShouldBe(0);
            }

            var resubscribe = "{\"type\":\"SUBSCRIBE\",\"framework_id\":{\"value\":\"" + frameworkId + "\"},\"subscribe\":{\"framework_info\":{\"id\":{\"value\":\"" + frameworkId + "\"},\"user\":\"u\",\"name\":\"kept\",\"failover_timeout\":3600}}}";
            using var again = await master.PostAsync("/api/v1/scheduler", MasterServer.Json(resubscribe), completion: HttpCompletionOption.ResponseHeadersRead);
            again.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        Directory.Delete(dir, recursive: true);
    }
}
