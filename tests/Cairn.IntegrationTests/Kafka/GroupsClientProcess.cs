using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Cairn.IntegrationTests.Infrastructure;

namespace Cairn.IntegrationTests.Kafka;

/// <summary>
/// A third-party client process (kcat, Debian's python3 with kafka-python / confluent-kafka) whose output lines are
/// captured; killed with its tree when disposed.
/// </summary>
public sealed class ClientProcess : IAsyncDisposable
{
    /// <summary>Debian's interpreter: python3-kafka and python3-confluent-kafka are installed only for it.</summary>
    public const string Python = "/usr/bin/python3";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly StringBuilder _log = new();

    private ClientProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    public IReadOnlyCollection<string> Lines => _lines;

    public string Output
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static ClientProcess Start(string name, string fileName, IEnumerable<string> args, string? stdin = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["PYTHONUNBUFFERED"] = "1";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var client = new ClientProcess(process, name);
        process.OutputDataReceived += (_, e) => client.Append(e.Data, stdout: true);
        process.ErrorDataReceived += (_, e) => client.Append(e.Data, stdout: false);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
        }

        process.StandardInput.Close();
        return client;
    }

    /// <summary>Runs a Python script (given as text) with arguments.</summary>
    public static ClientProcess StartPython(string name, string scriptDirectory, string script, params string[] args)
    {
        var path = Path.Combine(scriptDirectory, name.Replace(' ', '-') + "-" + Guid.NewGuid().ToString("N")[..8] + ".py");
        File.WriteAllText(path, script);
        return Start(name, Python, [path, .. args]);
    }

    private void Append(string? line, bool stdout)
    {
        if (line is null)
        {
            return;
        }

        if (stdout)
        {
            _lines.Enqueue(line);
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    public Task<string> WaitForLineAsync(Func<string, bool> match, string what, TimeSpan? timeout = null) =>
        Poll.UntilAsync(
            () =>
            {
                foreach (var line in _lines)
                {
                    if (match(line))
                    {
                        return Task.FromResult<string?>(line);
                    }
                }

                if (_process.HasExited)
                {
                    // The line may have arrived just before the exit was noticed.
                    foreach (var line in _lines)
                    {
                        if (match(line))
                        {
                            return Task.FromResult<string?>(line);
                        }
                    }

                    throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} before {what}; output:\n{Output}");
                }

                return Task.FromResult<string?>(null);
            },
            $"{Name}: {what}",
            timeout ?? TimeSpan.FromSeconds(120));

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds:0} s; output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Kills the process at once (a crashed client: no LeaveGroup, no commit).</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // never started
        }

        _process.Dispose();
    }
}
