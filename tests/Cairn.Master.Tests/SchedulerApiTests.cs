using System.Net;
using System.Text.Json;
using Cairn.Api.AgentLink;
using Cairn.Api.Conversions;
using Cairn.Common;
using Google.Protobuf;
using Mesos.V1;
using Task = System.Threading.Tasks.Task;
using Mesos.V1.Scheduler;

namespace Cairn.Master.Tests;

public sealed class SchedulerApiTests
{
    private const string SubscribeJson = """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"test","failover_timeout":3600,"capabilities":[{"type":"PARTITION_AWARE"}]}}}""";

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    [Fact]
    public async Task Get_is_405()
    {
        await using var master = await MasterServer.StartAsync();
        var response = await master.Client.GetAsync("/api/v1/scheduler");
        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task Missing_content_type_is_400_and_unsupported_content_type_is_415()
    {
        await using var master = await MasterServer.StartAsync();
        (await master.PostAsync("/api/v1/scheduler", MasterServer.Raw("{}"u8.ToArray(), null))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await master.PostAsync("/api/v1/scheduler", MasterServer.Raw("{}"u8.ToArray(), "text/plain"))).StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await master.Client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("""{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"n","failover_timeout":"soon"}}}""")]
    [InlineData("""{"type":"NO_SUCH_CALL"}""")]
    [InlineData("[]")]
    public async Task Malformed_json_is_400_and_the_master_keeps_serving(string body)
    {
        await using var master = await MasterServer.StartAsync();
        var response = await master.PostAsync("/api/v1/scheduler", MasterServer.Json(body));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldNotBeEmpty();
        (await master.Client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Malformed_protobuf_is_400()
    {
        await using var master = await MasterServer.StartAsync();
        var response = await master.PostAsync("/api/v1/scheduler", MasterServer.Raw([0xff, 0xff, 0xff, 0x01], "application/x-protobuf"));
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Missing_required_fields_and_payloads_are_400()
    {
        await using var master = await MasterServer.StartAsync();
        (await master.PostAsync("/api/v1/scheduler", MasterServer.Json("""{"type":"SUBSCRIBE"}"""))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await master.PostAsync("/api/v1/scheduler", MasterServer.Json("""{"type":"SUBSCRIBE","subscribe":{"framework_info":{"name":"no user"}}}"""))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await master.PostAsync("/api/v1/scheduler", MasterServer.Json("""{"type":"REVIVE"}"""))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Subscribe_with_an_unacceptable_accept_header_is_406()
    {
        await using var master = await MasterServer.StartAsync();
        var response = await master.PostAsync("/api/v1/scheduler", MasterServer.Json(SubscribeJson), accept: "text/html");
        response.StatusCode.ShouldBe(HttpStatusCode.NotAcceptable);
    }

    [Fact]
    public async Task Subscribe_carrying_a_stream_id_is_400()
    {
        await using var master = await MasterServer.StartAsync();
        var response = await master.PostAsync("/api/v1/scheduler", MasterServer.Json(SubscribeJson), streamId: Guid.NewGuid().ToString());
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Calls_for_unknown_frameworks_are_400()
    {
        await using var master = await MasterServer.StartAsync();
        var response = await master.PostAsync("/api/v1/scheduler", MasterServer.Json("""{"type":"REVIVE","framework_id":{"value":"nope"}}"""), streamId: Guid.NewGuid().ToString());
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Framework cannot be found");
    }

    [Fact]
    public async Task Subscribe_streams_subscribed_and_heartbeat_and_checks_the_stream_id_of_later_calls()
    {
        await using var master = await MasterServer.StartAsync();
        using var response = await master.PostAsync("/api/v1/scheduler", MasterServer.Json(SubscribeJson), completion: HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
        var streamId = response.Headers.GetValues("Mesos-Stream-Id").Single();
        var events = new RecordIoStream(await response.Content.ReadAsStreamAsync());
        using var subscribed = JsonDocument.Parse(await events.NextJsonAsync(Timeout));
        subscribed.RootElement.GetProperty("type").GetString().ShouldBe("SUBSCRIBED");
        var body = subscribed.RootElement.GetProperty("subscribed");
        var frameworkId = body.GetProperty("framework_id").GetProperty("value").GetString()!;
        body.GetProperty("heartbeat_interval_seconds").GetDouble().ShouldBe(15);
        body.GetProperty("master_info").GetProperty("port").ValueKind.ShouldBe(JsonValueKind.Number);
        (await events.NextJsonAsync(Timeout)).ShouldBe("""{"type":"HEARTBEAT"}""");

        var revive = $$$$"""{"type":"REVIVE","framework_id":{"value":"{{{{frameworkId}}}}"}}""";
        (await master.PostAsync("/api/v1/scheduler", MasterServer.Json(revive))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await master.PostAsync("/api/v1/scheduler", MasterServer.Json(revive), streamId: "wrong")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await master.PostAsync("/api/v1/scheduler", MasterServer.Json(revive), streamId: streamId)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Protobuf_subscribe_gets_protobuf_events()
    {
        await using var master = await MasterServer.StartAsync();
        var call = new Call { Type = Call.Types.Type.Subscribe, Subscribe = new Call.Types.Subscribe { FrameworkInfo = new FrameworkInfo { User = "u", Name = "pb" } } };
        using var response = await master.PostAsync("/api/v1/scheduler", MasterServer.Raw(call.ToByteArray(), "application/x-protobuf"), accept: "application/x-protobuf", completion: HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/x-protobuf");
        var events = new RecordIoStream(await response.Content.ReadAsStreamAsync());
        var subscribed = Event.Parser.ParseFrom(await events.NextAsync(Timeout));
        subscribed.Type.ShouldBe(Event.Types.Type.Subscribed);
        subscribed.Subscribed.FrameworkId.Value.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task A_disconnected_framework_gets_403_until_it_resubscribes()
    {
        await using var master = await MasterServer.StartAsync();
        string frameworkId;
        string streamId;
        using (var response = await master.PostAsync("/api/v1/scheduler", MasterServer.Json(SubscribeJson), completion: HttpCompletionOption.ResponseHeadersRead))
        {
            streamId = response.Headers.GetValues("Mesos-Stream-Id").Single();
            var events = new RecordIoStream(await response.Content.ReadAsStreamAsync());
            using var subscribed = JsonDocument.Parse(await events.NextJsonAsync(Timeout));
            frameworkId = subscribed.RootElement.GetProperty("subscribed").GetProperty("framework_id").GetProperty("value").GetString()!;
        }

        var revive = $$$$"""{"type":"REVIVE","framework_id":{"value":"{{{{frameworkId}}}}"}}""";
        await Poll(async () => (await master.PostAsync("/api/v1/scheduler", MasterServer.Json(revive), streamId: streamId)).StatusCode == HttpStatusCode.Forbidden);

        var resubscribe = $$$$"""{"type":"SUBSCRIBE","framework_id":{"value":"{{{{frameworkId}}}}"},"subscribe":{"framework_info":{"id":{"value":"{{{{frameworkId}}}}"},"user":"u","name":"test","failover_timeout":3600}}}""";
        using var again = await master.PostAsync("/api/v1/scheduler", MasterServer.Json(resubscribe), completion: HttpCompletionOption.ResponseHeadersRead);
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        var newStream = again.Headers.GetValues("Mesos-Stream-Id").Single();
        newStream.ShouldNotBe(streamId);
        (await master.PostAsync("/api/v1/scheduler", MasterServer.Json(revive), streamId: newStream)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task Offers_from_a_linked_agent_reach_a_json_framework_and_accept_launches_over_the_link()
    {
        await using var master = await MasterServer.StartAsync(configure: o => o.AllocationInterval = TimeSpan.FromMilliseconds(50));
        using var agentResponse = await RegisterAgentAsync(master, "cpus:2;mem:1024;ports:[31000-31001]");
        var linkId = agentResponse.Headers.GetValues("Cairn-Link-Id").Single();
        var agentEvents = new RecordIoStream(await agentResponse.Content.ReadAsStreamAsync());
        var registered = AgentEvent.Parser.ParseFrom(await agentEvents.NextAsync(Timeout));
        registered.Type.ShouldBe(AgentEvent.Types.Type.Registered);
        linkId.ShouldNotBeEmpty();

        using var response = await master.PostAsync("/api/v1/scheduler", MasterServer.Json(SubscribeJson), completion: HttpCompletionOption.ResponseHeadersRead);
        var streamId = response.Headers.GetValues("Mesos-Stream-Id").Single();
        var events = new RecordIoStream(await response.Content.ReadAsStreamAsync());
        string frameworkId = string.Empty;
        JsonElement offer = default;
        while (true)
        {
            using var e = JsonDocument.Parse(await events.NextJsonAsync(Timeout));
            var type = e.RootElement.GetProperty("type").GetString();
            if (type == "SUBSCRIBED")
            {
                frameworkId = e.RootElement.GetProperty("subscribed").GetProperty("framework_id").GetProperty("value").GetString()!;
            }
            else if (type == "OFFERS")
            {
                offer = e.RootElement.GetProperty("offers").GetProperty("offers")[0].Clone();
                break;
            }
        }

        var ports = offer.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "ports");
        ports.GetProperty("ranges").GetProperty("range")[0].GetProperty("begin").ValueKind.ShouldBe(JsonValueKind.Number);
        var offerId = offer.GetProperty("id").GetProperty("value").GetString();
        var agentId = offer.GetProperty("agent_id").GetProperty("value").GetString();
        var accept = $$$$"""
            {"framework_id":{"value":"{{{{frameworkId}}}}"},"type":"ACCEPT","accept":{"offer_ids":[{"value":"{{{{offerId}}}}"}],
             "operations":[{"type":"LAUNCH","launch":{"task_infos":[{"name":"t","task_id":{"value":"t1"},"agent_id":{"value":"{{{{agentId}}}}"},
               "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":1}},{"name":"mem","type":"SCALAR","scalar":{"value":64}},
                            {"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":31000}]}}],
               "command":{"shell":true,"value":"echo hi"}}]}}],"filters":{"refuse_seconds":60}}}
            """;
        (await master.PostAsync("/api/v1/scheduler", MasterServer.Json(accept), streamId: streamId)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        AgentEvent launch;
        do
        {
            launch = AgentEvent.Parser.ParseFrom(await agentEvents.NextAsync(Timeout));
        }
        while (launch.Type != AgentEvent.Types.Type.Launch);

        launch.Launch.Tasks.Single().Command.Value.ShouldBe("echo hi");

        var update = new AgentCall
        {
            Type = AgentCall.Types.Type.StatusUpdate,
            AgentId = registered.Registered.AgentId,
            StatusUpdate = new AgentCall.Types.StatusUpdate
            {
                FrameworkId = new FrameworkID { Value = frameworkId },
                Status = new TaskStatus { TaskId = new TaskID { Value = "t1" }, State = TaskState.TaskRunning, Uuid = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()), Source = TaskStatus.Types.Source.Executor },
            },
        };
        var request = new HttpRequestMessage(HttpMethod.Post, "/cairn/v1/agent") { Content = MasterServer.Raw(update.ToByteArray(), "application/x-protobuf") };
        request.Headers.Add("Cairn-Link-Id", linkId);
        (await master.Client.SendAsync(request)).StatusCode.ShouldBe(HttpStatusCode.Accepted);
        while (true)
        {
            using var e = JsonDocument.Parse(await events.NextJsonAsync(Timeout));
            if (e.RootElement.GetProperty("type").GetString() == "UPDATE")
            {
                var status = e.RootElement.GetProperty("update").GetProperty("status");
                status.GetProperty("state").GetString().ShouldBe("TASK_RUNNING");
                Convert.FromBase64String(status.GetProperty("uuid").GetString()!).Length.ShouldBe(16);
                break;
            }
        }

        var bad = new HttpRequestMessage(HttpMethod.Post, "/cairn/v1/agent") { Content = MasterServer.Raw(update.ToByteArray(), "application/x-protobuf") };
        bad.Headers.Add("Cairn-Link-Id", "stale");
        (await master.Client.SendAsync(bad)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task State_lists_agents_and_frameworks_with_mesos_field_names()
    {
        await using var master = await MasterServer.StartAsync();
        using var agent = await RegisterAgentAsync(master, "cpus:2;mem:1024;ports:[31000-31001]", attributes: "rack:r1");
        using var response = await master.PostAsync("/api/v1/scheduler", MasterServer.Json(SubscribeJson), completion: HttpCompletionOption.ResponseHeadersRead);
        foreach (var path in new[] { "/master/state", "/state", "/master/state.json" })
        {
            using var state = JsonDocument.Parse(await master.Client.GetStringAsync(path));
            var root = state.RootElement;
            root.GetProperty("version").GetString().ShouldNotBeNullOrEmpty();
            root.GetProperty("leader").GetString().ShouldStartWith("master@127.0.0.1:");
            var slave = root.GetProperty("slaves")[0];
            slave.GetProperty("hostname").GetString().ShouldBe("127.0.0.1");
            slave.GetProperty("active").GetBoolean().ShouldBeTrue();
            slave.GetProperty("resources").GetProperty("cpus").GetDouble().ShouldBe(2);
            slave.GetProperty("resources").GetProperty("ports").GetString().ShouldBe("[31000-31001]");
            slave.GetProperty("used_resources").GetProperty("cpus").GetDouble().ShouldBe(0);
            slave.GetProperty("attributes").GetProperty("rack").GetString().ShouldBe("r1");
            slave.GetProperty("pid").GetString().ShouldNotBeNullOrEmpty();
            var framework = root.GetProperty("frameworks")[0];
            framework.GetProperty("name").GetString().ShouldBe("test");
            framework.GetProperty("tasks").GetArrayLength().ShouldBe(0);
            framework.GetProperty("completed_tasks").GetArrayLength().ShouldBe(0);
            framework.GetProperty("offers").ValueKind.ShouldBe(JsonValueKind.Array);
        }

        using var slaves = JsonDocument.Parse(await master.Client.GetStringAsync("/master/slaves"));
        slaves.RootElement.GetProperty("slaves").GetArrayLength().ShouldBe(1);
        using var frameworks = JsonDocument.Parse(await master.Client.GetStringAsync("/master/frameworks"));
        frameworks.RootElement.GetProperty("frameworks").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Redirect_points_at_the_master_itself()
    {
        await using var master = await MasterServer.StartAsync();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = master.Host.Address };
        var response = await client.GetAsync("/master/redirect");
        response.StatusCode.ShouldBe(HttpStatusCode.TemporaryRedirect);
        response.Headers.Location!.OriginalString.ShouldBe($"//127.0.0.1:{master.Host.Address.Port}");
    }

    [Fact]
    public async Task Metrics_snapshot_uses_mesos_names()
    {
        await using var master = await MasterServer.StartAsync();
        using var agent = await RegisterAgentAsync(master, "cpus:3;mem:1000");
        using var metrics = JsonDocument.Parse(await master.Client.GetStringAsync("/metrics/snapshot"));
        metrics.RootElement.GetProperty("master/elected").GetDouble().ShouldBe(1);
        metrics.RootElement.GetProperty("master/slaves_active").GetDouble().ShouldBe(1);
        metrics.RootElement.GetProperty("master/cpus_total").GetDouble().ShouldBe(3);
        metrics.RootElement.GetProperty("master/uptime_secs").GetDouble().ShouldBeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public async Task Prometheus_metrics_pass_promtool()
    {
        const string promtool = "/usr/bin/promtool";
        if (!File.Exists(promtool))
        {
            // promtool is part of the test prerequisites (test.sh installs prometheus); without it there is nothing to check against.
            return;
        }

        await using var master = await MasterServer.StartAsync();
        var text = await master.Client.GetStringAsync("/metrics");
        text.ShouldContain("cairn_master_cpus_capacity");
        text.ShouldContain("cairn_master_uptime_seconds");
        var info = new System.Diagnostics.ProcessStartInfo(promtool, ["check", "metrics"]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(info)!;
        await process.StandardInput.WriteAsync(text);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(Timeout);
        process.ExitCode.ShouldBe(0, await stdout + await stderr);
    }

    [Fact]
    public async Task Agent_link_rejects_json_and_garbage()
    {
        await using var master = await MasterServer.StartAsync();
        (await master.PostAsync("/cairn/v1/agent", MasterServer.Json("{}"))).StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await master.PostAsync("/cairn/v1/agent", MasterServer.Raw([0xff, 0xff], "application/x-protobuf"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await master.PostAsync("/cairn/v1/agent", MasterServer.Raw(new AgentCall { Type = AgentCall.Types.Type.Register }.ToByteArray(), "application/x-protobuf"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await master.Client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    internal static async Task<HttpResponseMessage> RegisterAgentAsync(MasterServer master, string resources, string? attributes = null, string? agentId = null)
    {
        var info = new AgentInfo { Hostname = "127.0.0.1", Port = 5051 };
        Resources.Parse(resources).AddTo(info.Resources);
        if (attributes is not null)
        {
            Attributes.Parse(attributes).AddTo(info.Attributes);
        }

        if (agentId is not null)
        {
            info.Id = new AgentID { Value = agentId };
        }

        var call = new AgentCall { Type = AgentCall.Types.Type.Register, Register = new AgentCall.Types.Register { AgentInfo = info } };
        var response = await master.PostAsync("/cairn/v1/agent", MasterServer.Raw(call.ToByteArray(), "application/x-protobuf"), completion: HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return response;
    }

    private static async Task Poll(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("condition not met within 60 s");
            }

            await Task.Delay(50);
        }
    }
}
