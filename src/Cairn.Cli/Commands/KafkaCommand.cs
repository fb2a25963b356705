using System.CommandLine;

namespace Cairn.Cli;

/// <summary><c>cairn kafka …</c>: the Kafka broker (and, later, the Kafka framework's commands).</summary>
internal static class KafkaCommand
{
    public static Command Create()
    {
        var command = new Command("kafka", "Kafka on Cairn: run a Kafka-wire-compatible broker.");
        command.Subcommands.Add(KafkaBrokerCommand.Create());
        return command;
    }
}
