using System.CommandLine;
using System.Reflection;

namespace Cairn.Cli;

/// <summary><c>cairn version</c>: prints the build's version.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print Cairn's version.");
        command.SetAction(_ =>
        {
            var version = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            Console.WriteLine($"cairn {version}");
            return 0;
        });
        return command;
    }
}
