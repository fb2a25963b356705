using System.Diagnostics;
using System.Text;
using Cairn.IntegrationTests.Infrastructure;

namespace Cairn.IntegrationTests.Kafka;

/// <summary>
/// One client's check script under tests/compat (kcat, kafka-python, confluent-kafka-python, KafkaJS,
/// Confluent.Kafka), run as a child process against a broker. Scripts print <c>ok …</c> or
/// <c>FAIL …</c> per check and exit non-zero if any check failed.
/// </summary>
internal sealed class ClientCompatibilityScript
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(10);

    private ClientCompatibilityScript(string name, string program, IReadOnlyList<string> arguments, Func<string?> missingTool)
    {
        Name = name;
        Program = program;
        Arguments = arguments;
        MissingTool = missingTool;
    }

    public string Name { get; }

    private string Program { get; }

    private IReadOnlyList<string> Arguments { get; }

    /// <summary>Null when everything the script needs is installed; else what is missing and how to get it.</summary>
    public Func<string?> MissingTool { get; }

    private static string CompatDir => Path.Combine(RepositoryPaths.Root, "tests", "compat");

    public static ClientCompatibilityScript Kcat() => new(
        "kcat", "bash", [Path.Combine(CompatDir, "kcat.sh")],
        () => OnPath("kcat") ? null : "kcat is not installed (apt-get install kcat; ./test.sh installs it)");

    public static ClientCompatibilityScript KafkaPython() => new(
        "kafka-python", "/usr/bin/python3", [Path.Combine(CompatDir, "kafka_python.py")],
        () => PythonModulesMissing("kafka", "snappy", "lz4", "zstandard"));

    public static ClientCompatibilityScript ConfluentKafkaPython() => new(
        "confluent-kafka-python", "/usr/bin/python3", [Path.Combine(CompatDir, "confluent_kafka_python.py")],
        () => PythonModulesMissing("confluent_kafka"));

    public static ClientCompatibilityScript KafkaJs() => new(
        "kafkajs", "node", [Path.Combine(CompatDir, "kafkajs.js")],
        () => !OnPath("node") ? "node is not installed"
            : File.Exists(Path.Combine(CompatDir, "node_modules", "kafkajs", "package.json")) ? null
            : "kafkajs is not installed in tests/compat/node_modules: run tests/compat/prepare.sh (./test.sh runs it)");

    public static ClientCompatibilityScript ConfluentKafkaDotnet() => new(
        "Confluent.Kafka", "dotnet", [Path.Combine(CompatDir, "dotnet", "bin", "ConfluentCompat", "ConfluentCompat.dll")],
        () => File.Exists(Path.Combine(CompatDir, "dotnet", "bin", "ConfluentCompat", "ConfluentCompat.dll"))
            ? (File.Exists("/usr/lib/x86_64-linux-gnu/librdkafka.so.1") || File.Exists("/usr/lib/aarch64-linux-gnu/librdkafka.so.1") ? null
                : "librdkafka.so.1 is not installed (apt-get install librdkafka-dev)")
            : "tests/compat/dotnet/bin/ConfluentCompat is not built: run tests/compat/prepare.sh (./test.sh runs it)");

    /// <summary>Runs the script against <paramref name="bootstrap"/>; returns its exit code and everything it printed.</summary>
    public async Task<(int ExitCode, string Output)> RunAsync(string bootstrap, string topicPrefix)
    {
        var info = new ProcessStartInfo(Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = CompatDir,
        };
        foreach (var argument in Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.ArgumentList.Add(bootstrap);
        info.ArgumentList.Add(topicPrefix);
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        info.Environment["PYTHONUNBUFFERED"] = "1";
        info.Environment["DOTNET_gcServer"] = "0";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(s_timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Append(output, $"[test] {Name} did not finish within {s_timeout.TotalMinutes:0} minutes and was killed");
            return (-1, Snapshot(output));
        }

        process.WaitForExit(); // drains the redirected output
        return (process.ExitCode, Snapshot(output));
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));

    private static string? PythonModulesMissing(params string[] modules)
    {
        if (!File.Exists("/usr/bin/python3"))
        {
            return "/usr/bin/python3 is not installed";
        }

        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(string.Join("; ", modules.Select(m => $"import {m}")));
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? null
            : $"/usr/bin/python3 cannot import {string.Join(", ", modules)} (Debian packages python3-kafka, python3-confluent-kafka, python3-snappy, python3-lz4, python3-zstandard; ./test.sh installs them): {error.Trim()}";
    }
}
