using System.Globalization;
using Cairn.Common;

namespace Cairn.Cli;

/// <summary>This machine's resources in Mesos' text syntax, and how <c>cairn up</c> splits them between agents.</summary>
internal static class MachineResources
{
    /// <summary>Default agent ports, as Mesos: [31000-32000].</summary>
    public const int FirstPort = 31000;
    public const int LastPort = 32000;

    public static double Cpus => Environment.ProcessorCount;

    /// <summary>Memory in MB, leaving the system min(1 GB, half) as Mesos does.</summary>
    public static double MemMb
    {
        get
        {
            var total = TotalMemoryMb();
            return Math.Floor(total - Math.Min(1024, total / 2));
        }
    }

    /// <summary>Disk in MB of the file system holding <paramref name="path"/>, leaving min(5 GB, half).</summary>
    public static double DiskMb(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
            var total = new DriveInfo(Path.GetFullPath(path)).TotalSize / (1024.0 * 1024.0);
            return Math.Floor(total - Math.Min(5120, total / 2));
        }
        catch (IOException)
        {
            return 10240;
        }
    }

    /// <summary>
    /// The agent's --resources: what the flag gives, with cpus, mem, disk and ports filled in from this
    /// machine where the flag leaves them out (as a Mesos agent does).
    /// </summary>
    public static bool TryResolve(string? flag, string workDir, out Resources resources, out string error)
    {
        resources = Resources.Empty;
        error = "";
        var given = Resources.Empty;
        if (!string.IsNullOrWhiteSpace(flag) && !Resources.TryParse(flag, out given, out error))
        {
            return false;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var resource in given)
        {
            names.Add(resource.Name);
        }

        var defaults = new List<string>();
        if (!names.Contains("cpus"))
        {
            defaults.Add(Format("cpus", Cpus));
        }

        if (!names.Contains("mem"))
        {
            defaults.Add(Format("mem", MemMb));
        }

        if (!names.Contains("disk"))
        {
            defaults.Add(Format("disk", DiskMb(workDir)));
        }

        if (!names.Contains("ports"))
        {
            defaults.Add($"ports:[{FirstPort}-{LastPort}]");
        }

        resources = defaults.Count == 0 ? given : given + Resources.Parse(string.Join(';', defaults));
        return true;
    }

    /// <summary>Agent <paramref name="index"/>'s (0-based) share of this machine out of <paramref name="count"/>.</summary>
    public static string ShareOf(int index, int count, string workDir)
    {
        var cpus = Math.Max(0.1, Math.Floor(Cpus * 10 / count) / 10);
        var mem = Math.Max(32, Math.Floor(MemMb / count));
        var disk = Math.Max(32, Math.Floor(DiskMb(workDir) / count));
        var width = (LastPort - FirstPort + 1) / count;
        var first = FirstPort + (index * width);
        var last = first + width - 1;
        return string.Join(';', Format("cpus", cpus), Format("mem", mem), Format("disk", disk), $"ports:[{first}-{last}]");
    }

    private static string Format(string name, double value) => string.Create(CultureInfo.InvariantCulture, $"{name}:{value}");

    private static double TotalMemoryMb()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    var kb = double.Parse(line["MemTotal:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture);
                    return kb / 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024.0);
    }
}
