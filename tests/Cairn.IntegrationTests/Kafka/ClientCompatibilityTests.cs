using Cairn.IntegrationTests.Kafka.Infrastructure;
using Xunit.Abstractions;

namespace Cairn.IntegrationTests.Kafka;

/// <summary>
/// Unmodified Kafka clients against a real <c>cairn kafka broker</c> process: each test starts its own
/// broker and runs that client's check script from tests/compat (produce with acks 0/1/all, keys,
/// headers, null values, large batches and records, consume by offset/time/seek, metadata, admin,
/// every compression codec the client has). A missing client fails the test; nothing is skipped.
/// </summary>
public sealed class ClientCompatibilityTests(ITestOutputHelper output)
{
    [Fact]
    public Task Kcat_works_against_the_broker() => RunAsync(ClientCompatibilityScript.Kcat());

    [Fact]
    public Task KafkaPython_works_against_the_broker() => RunAsync(ClientCompatibilityScript.KafkaPython());

    [Fact]
    public Task ConfluentKafkaPython_works_against_the_broker() => RunAsync(ClientCompatibilityScript.ConfluentKafkaPython());

    [Fact]
    public Task KafkaJs_works_against_the_broker() => RunAsync(ClientCompatibilityScript.KafkaJs());

    [Fact]
    public Task ConfluentKafkaDotnet_works_against_the_broker() => RunAsync(ClientCompatibilityScript.ConfluentKafkaDotnet());

    private async Task RunAsync(ClientCompatibilityScript script)
    {
        var missing = script.MissingTool();
        Assert.True(missing is null, $"{script.Name}: {missing}");

        await using var broker = await BrokerProcess.StartAsync();
        var prefix = $"compat-{script.Name.ToLowerInvariant().Replace('.', '-')}-{Guid.NewGuid():N}"[..32];
        var (exitCode, scriptOutput) = await script.RunAsync(broker.BootstrapServers, prefix);
        output.WriteLine($"--- {script.Name} (exit {exitCode})\n{scriptOutput}");
        if (exitCode != 0)
        {
            output.WriteLine($"--- broker log\n{broker.Process.Output}");
        }

        exitCode.ShouldBe(0, $"{script.Name} checks failed:\n{scriptOutput}\n--- broker log (last 200 lines)\n{LastLines(broker.Process.Output, 200)}");
        scriptOutput.ShouldContain("all checks passed");
    }

    private static string LastLines(string text, int count)
    {
        var lines = text.Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - count)));
    }
}
