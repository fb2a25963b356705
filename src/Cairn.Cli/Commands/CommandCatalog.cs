using System.CommandLine;

namespace Cairn.Cli;

/// <summary>The top-level commands, one factory per area.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return VersionCommand.Create();
        yield return MasterCommand.Create();
        yield return AgentCommand.Create();
        yield return UpCommand.Create();
        yield return RunCommand.Create();
        yield return ClusterStateCommands.State();
        yield return ClusterStateCommands.Agents();
        yield return ClusterStateCommands.Frameworks();
        yield return ClusterStateCommands.Tasks();
        yield return TaskCommand.Create();
    }
}
