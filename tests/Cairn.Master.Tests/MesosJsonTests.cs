using System.Text.Json;
using Cairn.Api.Json;
using Cairn.Master.Options;
using Google.Protobuf;
using Mesos.V1;
using Mesos.V1.Scheduler;

namespace Cairn.Master.Tests;

public sealed class MesosJsonTests
{
    [Fact]
    public void Formats_snake_case_names_enum_names_int64_numbers_and_base64_bytes()
    {
        var status = new TaskStatus
        {
            TaskId = new TaskID { Value = "t" },
            State = TaskState.TaskRunning,
            Uuid = ByteString.CopyFrom(1, 2, 3),
            UnreachableTime = new TimeInfo { Nanoseconds = 1_700_000_000_000_000_000 },
        };
        using var json = JsonDocument.Parse(MesosJson.Format(status));
        var root = json.RootElement;
        root.GetProperty("task_id").GetProperty("value").GetString().ShouldBe("t");
        root.GetProperty("state").GetString().ShouldBe("TASK_RUNNING");
        root.GetProperty("uuid").GetString().ShouldBe("AQID");
        var nanos = root.GetProperty("unreachable_time").GetProperty("nanoseconds");
        nanos.ValueKind.ShouldBe(JsonValueKind.Number);
        nanos.GetInt64().ShouldBe(1_700_000_000_000_000_000);
    }

    [Fact]
    public void Omits_unset_optional_fields_and_empty_repeated_fields()
    {
        MesosJson.Format(new Event { Type = Event.Types.Type.Heartbeat }).ShouldBe("""{"type":"HEARTBEAT"}""");
    }

    [Fact]
    public void Non_finite_doubles_are_strings()
    {
        MesosJson.Format(new Value.Types.Scalar { Value = double.PositiveInfinity }).ShouldBe("""{"value":"Infinity"}""");
    }

    [Fact]
    public void Parses_what_mesos_frameworks_send_including_numbers_for_int64_and_unknown_fields()
    {
        const string json = """
            {"type":"ACCEPT","framework_id":{"value":"f"},"some_future_field":{"x":1},
             "accept":{"offer_ids":[{"value":"o1"}],"filters":{"refuse_seconds":60},
              "operations":[{"type":"LAUNCH","launch":{"task_infos":[{"name":"n","task_id":{"value":"t"},"agent_id":{"value":"a"},
                "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.5}}],
                "kill_policy":{"grace_period":{"nanoseconds":30000000000}},
                "command":{"value":"true"}}]}}]}}
            """;
        MesosJson.TryParse<Call>(json, out var call, out var error).ShouldBeTrue(error);
        call.Type.ShouldBe(Call.Types.Type.Accept);
        call.Accept.Filters.RefuseSeconds.ShouldBe(60);
        var task = call.Accept.Operations[0].Launch.TaskInfos[0];
        task.KillPolicy.GracePeriod.Nanoseconds.ShouldBe(30_000_000_000);
        task.Resources[0].Scalar.Value.ShouldBe(0.5);
    }

    [Fact]
    public void Round_trips_a_call()
    {
        var call = new Call { Type = Call.Types.Type.Acknowledge, FrameworkId = new FrameworkID { Value = "f" }, Acknowledge = new Call.Types.Acknowledge { AgentId = new AgentID { Value = "a" }, TaskId = new TaskID { Value = "t" }, Uuid = ByteString.CopyFrom(Guid.NewGuid().ToByteArray()) } };
        MesosJson.Parse<Call>(MesosJson.Format(call)).ShouldBe(call);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("""{"type":"BOGUS"}""")]
    [InlineData("""{"framework_id":"not an object"}""")]
    public void Rejects_malformed_input_with_an_error(string json)
    {
        MesosJson.TryParse<Call>(json, out _, out var error).ShouldBeFalse();
        error.ShouldNotBeEmpty();
    }

    [Theory]
    [InlineData("1secs", 1000)]
    [InlineData("500ms", 500)]
    [InlineData("15mins", 900_000)]
    [InlineData("2hrs", 7_200_000)]
    [InlineData("1days", 86_400_000)]
    [InlineData("1weeks", 604_800_000)]
    [InlineData("0.5secs", 500)]
    [InlineData("10", 10_000)]
    public void Parses_mesos_durations(string text, double milliseconds)
    {
        MesosDuration.TryParse(text, out var duration).ShouldBeTrue();
        duration.TotalMilliseconds.ShouldBe(milliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("secs")]
    [InlineData("5 parsecs")]
    [InlineData("-1secs")]
    public void Rejects_bad_durations(string text) => MesosDuration.TryParse(text, out _).ShouldBeFalse();

    [Fact]
    public void Parses_weights()
    {
        var weights = new Dictionary<string, double>();
        MasterOptions.TryParseWeights("a=2,b=0.5", weights, out _).ShouldBeTrue();
        weights["a"].ShouldBe(2);
        weights["b"].ShouldBe(0.5);
        MasterOptions.TryParseWeights("a=0", weights, out var error).ShouldBeFalse();
        error.ShouldNotBeEmpty();
    }
}
