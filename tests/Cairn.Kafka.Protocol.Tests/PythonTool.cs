using System.Diagnostics;

namespace Cairn.Kafka.Protocol.Tests;

/// <summary>Runs a helper script under Debian's /usr/bin/python3 (where python3-kafka, -snappy, -lz4, -zstandard live).</summary>
internal static class PythonTool
{
    public static string Run(string script, string arguments, string? stdin = null)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Python", script);
        var start = new ProcessStartInfo("/usr/bin/python3", $"\"{path}\" {arguments}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"python3 {script} {arguments} did not finish");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"python3 {script} {arguments} failed: {stderr.Result}");
        }

        return stdout.Result;
    }
}
