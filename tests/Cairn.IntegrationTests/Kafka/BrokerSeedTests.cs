using Cairn.IntegrationTests.Infrastructure;
using Cairn.IntegrationTests.Kafka.Infrastructure;

namespace Cairn.IntegrationTests.Kafka;

/// <summary>Seed 004 and the basic kcat checks, against a real <c>cairn kafka broker</c> process.</summary>
public sealed class BrokerSeedTests
{
    [Fact]
    public async Task Seed_004_kcat_produces_and_consumes_test()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var produce = await ToolRun.KcatAsync(["-P", "-b", broker.BootstrapServers, "-t", "testTopic", "-p", "0"], stdin: "test\n");
        produce.ExitCode.ShouldBe(0, produce.ToString());
        var consume = await ToolRun.KcatAsync(["-C", "-b", broker.BootstrapServers, "-t", "testTopic", "-p", "0", "-e"]);
        consume.ExitCode.ShouldBe(0, consume.ToString());
        // kcat may retry a produce under load, so the record may appear more than once; every line is "test".
        var lines = consume.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldNotBeEmpty(consume.ToString());
        lines.ShouldAllBe(l => l == "test");
    }

    [Fact]
    public async Task Kcat_lists_the_broker_and_its_topics()
    {
        await using var broker = await BrokerProcess.StartAsync(["--num.partitions", "3"]);
        var produce = await ToolRun.KcatAsync(["-P", "-b", broker.BootstrapServers, "-t", "listed"], stdin: "x\n");
        produce.ExitCode.ShouldBe(0, produce.ToString());
        var list = await ToolRun.KcatAsync(["-L", "-b", broker.BootstrapServers]);
        list.ExitCode.ShouldBe(0, list.ToString());
        list.Stdout.ShouldContain($"broker 0 at 127.0.0.1:{broker.Port} (controller)");
        list.Stdout.ShouldContain("topic \"listed\" with 3 partitions:");
        list.Stdout.ShouldContain("partition 2, leader 0, replicas: 0, isrs: 0");
    }

    [Fact]
    public async Task Kcat_consumes_from_an_offset_and_by_timestamp()
    {
        await using var broker = await BrokerProcess.StartAsync();
        var lines = string.Join('\n', Enumerable.Range(0, 50).Select(i => $"m{i}")) + "\n";
        (await ToolRun.KcatAsync(["-P", "-b", broker.BootstrapServers, "-t", "seek", "-p", "0", "-X", "acks=all"], lines)).ExitCode.ShouldBe(0);
        var all = await ToolRun.KcatAsync(["-C", "-b", broker.BootstrapServers, "-t", "seek", "-p", "0", "-o", "beginning", "-e", "-f", "%o %s\\n"]);
        var records = all.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToDictionary(p => long.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), p => p[1]);
        // At least once: every line arrived; offsets are dense.
        records.Values.Distinct().Count().ShouldBe(50, all.ToString());
        var tail = await ToolRun.KcatAsync(["-C", "-b", broker.BootstrapServers, "-t", "seek", "-p", "0", "-o", "-5", "-e", "-f", "%o\\n"]);
        tail.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(5, tail.ToString());
        var query = await ToolRun.KcatAsync(["-Q", "-b", broker.BootstrapServers, "-t", "seek:0:0"]);
        query.ExitCode.ShouldBe(0, query.ToString());
        query.Stdout.ShouldContain("offset 0", Case.Sensitive, query.ToString());
    }

    [Fact]
    public async Task Config_file_and_flags_are_applied_and_sigterm_shuts_down_cleanly()
    {
        var dir = Directory.CreateTempSubdirectory("cairn-kafka-config-").FullName;
        try
        {
            var properties = Path.Combine(dir, "server.properties");
            await File.WriteAllTextAsync(properties, "num.partitions=2\nauto.create.topics.enable=true\n");
            await using var broker = await BrokerProcess.StartAsync(["--config", properties, "--num.partitions", "4"]);
            (await ToolRun.KcatAsync(["-P", "-b", broker.BootstrapServers, "-t", "flags"], "x\n")).ExitCode.ShouldBe(0);
            var list = await ToolRun.KcatAsync(["-L", "-b", broker.BootstrapServers, "-t", "flags"]);
            list.Stdout.ShouldContain("with 4 partitions", Case.Sensitive, "flags override the file");
            broker.Process.Signal(Signals.Term);
            (await broker.Process.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBe(0, broker.Process.Output);
            broker.Process.Output.ShouldContain("stopped (clean shutdown)");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
