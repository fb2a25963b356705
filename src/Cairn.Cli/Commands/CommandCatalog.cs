using System.CommandLine;

namespace Cairn.Cli;

/// <summary>The top-level commands, one factory per area.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return VersionCommand.Create();
        yield return MasterCommand.Create();
    }
}
