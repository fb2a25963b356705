using System.Diagnostics;
using System.Text;

namespace Cairn.IntegrationTests.Kafka.Infrastructure;

/// <summary>Runs a third-party tool (kcat, python3) to completion: stdin in, stdout/stderr out, killed on timeout.</summary>
public static class ToolRun
{
    /// <summary>The result of a finished tool run.</summary>
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>; throws <see cref="TimeoutException"/> (after killing it) when it runs too long.</summary>
    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = new Process { StartInfo = info };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stdout)
                {
                    stdout.AppendLine(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in time; stderr:\n{stderr}");
        }

        // WaitForExitAsync also waits for the redirected streams to reach EOF.
        lock (stdout)
        {
            lock (stderr)
            {
                return new Result(process.ExitCode, stdout.ToString(), stderr.ToString());
            }
        }
    }

    /// <summary>kcat with <paramref name="args"/>.</summary>
    public static Task<Result> KcatAsync(IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null) => RunAsync("kcat", args, stdin, timeout);

    /// <summary>Debian's system python3 (the one that has python3-kafka and python3-confluent-kafka).</summary>
    public static Task<Result> PythonAsync(string script, IEnumerable<string> args, TimeSpan? timeout = null) =>
        RunAsync("/usr/bin/python3", new[] { "-c", script }.Concat(args), null, timeout);
}
