using System.CommandLine;

namespace Cairn.Cli;

/// <summary>Entry point of the single <c>cairn</c> executable: every role and client command.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("Cairn: a datacenter resource manager with Kafka, services and jobs built in.");
        // Each area contributes its commands from its own file (Commands/*.cs).
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return root.Parse(args).Invoke();
    }
}
