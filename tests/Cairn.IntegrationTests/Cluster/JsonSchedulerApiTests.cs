using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.IntegrationTests.Cluster;

/// <summary>A third-party framework (raw HTTP + JSON) on a real master with real agents.</summary>
public sealed class JsonSchedulerApiTests
{
    [Fact]
    public async Task Hundred_short_tasks_across_three_agents_all_finish()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        await using var framework = new JsonFramework(cluster.MasterUri);
        await framework.SubscribeAsync("hundred");

        const int total = 100;
        var launched = 0;
        var finished = new HashSet<string>();
        var failed = new List<string>();
        var agentsUsed = new HashSet<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        while (finished.Count + failed.Count < total)
        {
            var ev = await framework.Events.ReadAsync(timeout.Token);
            switch (ev.GetProperty("type").GetString())
            {
                case "OFFERS":
                    foreach (var offer in ev.GetProperty("offers").GetProperty("offers").EnumerateArray())
                    {
                        var fit = (int)Math.Min(Math.Floor(JsonFramework.ScalarOf(offer, "cpus") / 0.1 + 1e-6), Math.Floor(JsonFramework.ScalarOf(offer, "mem") / 16));
                        var count = Math.Min(fit, total - launched);
                        if (count <= 0)
                        {
                            (await framework.DeclineAsync(offer, 1)).ShouldBe(202);
                            continue;
                        }

                        var tasks = new List<JsonObject>();
                        for (var i = 0; i < count; i++)
                        {
                            tasks.Add(JsonFramework.CommandTask(offer, $"short-{launched++}", "echo $MESOS_TASK_ID", 0.1, 16));
                        }

                        (await framework.LaunchAsync(offer, tasks)).ShouldBe(202);
                    }

                    break;
                case "UPDATE":
                    var status = ev.GetProperty("update").GetProperty("status");
                    var id = status.GetProperty("task_id").GetProperty("value").GetString()!;
                    var state = status.GetProperty("state").GetString();
                    agentsUsed.Add(status.GetProperty("agent_id").GetProperty("value").GetString()!);
                    (await framework.AcknowledgeAsync(status)).ShouldBe(202);
                    if (state == "TASK_FINISHED")
                    {
                        finished.Add(id);
                    }
                    else if (state is "TASK_FAILED" or "TASK_LOST" or "TASK_ERROR" or "TASK_DROPPED" or "TASK_KILLED")
                    {
                        failed.Add($"{id}: {state} {status}");
                    }

                    break;
            }
        }

        failed.ShouldBeEmpty();
        finished.Count.ShouldBe(total);
        agentsUsed.Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_running_task_is_killed()
    {
        await using var cluster = await LocalCluster.StartAsync(1);
        await using var framework = new JsonFramework(cluster.MasterUri);
        await framework.SubscribeAsync("killer");
        var offers = await framework.NextAsync("OFFERS");
        var offer = offers.GetProperty("offers").GetProperty("offers")[0];
        (await framework.LaunchAsync(offer, [JsonFramework.CommandTask(offer, "sleeper", "sleep 300", 0.1, 16)])).ShouldBe(202);

        var states = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var killSent = false;
        while (!states.Contains("TASK_KILLED"))
        {
            var ev = await framework.Events.ReadAsync(timeout.Token);
            if (ev.GetProperty("type").GetString() != "UPDATE")
            {
                continue;
            }

            var status = ev.GetProperty("update").GetProperty("status");
            var state = status.GetProperty("state").GetString()!;
            states.Add(state);
            (await framework.AcknowledgeAsync(status)).ShouldBe(202);
            if (state == "TASK_RUNNING" && !killSent)
            {
                killSent = true;
                var kill = new JsonObject
                {
                    ["type"] = "KILL",
                    ["kill"] = new JsonObject
                    {
                        ["task_id"] = new JsonObject { ["value"] = "sleeper" },
                        ["agent_id"] = JsonNode.Parse(status.GetProperty("agent_id").GetRawText()),
                    },
                };
                (await framework.CallAsync(kill)).ShouldBe(202);
            }

            if (state == "TASK_KILLED")
            {
                status.GetProperty("message").GetString().ShouldBe("Command terminated with signal Terminated");
            }
        }

        states.ShouldContain("TASK_RUNNING");
        states[^1].ShouldBe("TASK_KILLED");
        using var state2 = await cluster.StateAsync();
        JsonSerializer.Serialize(state2.RootElement).ShouldContain("\"TASK_KILLED\"");
    }
}
