using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Cairn.Master.Core;
using Cairn.Master.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cairn.Master.Http;

/// <summary>Legacy operator endpoints (mesos.md §4.3) and metrics.</summary>
public static class OperatorEndpoints
{
    public static void Map(IEndpointRouteBuilder app, MasterLoop loop, Func<SortedDictionary<string, double>, SortedDictionary<string, double>> addHostMetrics)
    {
        ArgumentNullException.ThrowIfNull(app);
        foreach (var path in (string[])["/master/state", "/state", "/master/state.json", "/state.json"])
        {
            app.MapGet(path, () => Json(loop, static (core, writer) => core.WriteState(writer)));
        }

        foreach (var path in (string[])["/master/frameworks", "/frameworks"])
        {
            app.MapGet(path, () => Json(loop, static (core, writer) => core.WriteFrameworks(writer)));
        }

        foreach (var path in (string[])["/master/slaves", "/slaves"])
        {
            app.MapGet(path, () => Json(loop, static (core, writer) => core.WriteSlaves(writer)));
        }

        foreach (var path in (string[])["/health", "/master/health"])
        {
            app.MapGet(path, () => Results.Ok());
        }

        foreach (var path in (string[])["/master/redirect", "/redirect"])
        {
            app.MapGet(path, async () =>
            {
                var info = await loop.InvokeAsync(static core => core.Info.Clone()).ConfigureAwait(false);
                return Results.Redirect($"//{info.Hostname}:{info.Port}", permanent: false, preserveMethod: true);
            });
        }

        app.MapGet("/metrics/snapshot", async () =>
        {
            var metrics = addHostMetrics(await loop.InvokeAsync(static core => core.MetricsSnapshot()).ConfigureAwait(false));
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                foreach (var (name, value) in metrics)
                {
                    writer.WriteNumber(name, value);
                }

                writer.WriteEndObject();
            }

            return Results.Bytes(buffer.WrittenMemory.ToArray(), "application/json");
        });

        app.MapGet("/metrics", async () =>
        {
            var metrics = addHostMetrics(await loop.InvokeAsync(static core => core.MetricsSnapshot()).ConfigureAwait(false));
            return Results.Text(PrometheusText.Format(metrics), "text/plain; version=0.0.4; charset=utf-8");
        });
    }

    private static async Task<IResult> Json(MasterLoop loop, Action<MasterCore, Utf8JsonWriter> write)
    {
        var bytes = await loop.InvokeAsync(core =>
        {
            var buffer = new ArrayBufferWriter<byte>(16 * 1024);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                write(core, writer);
            }

            return buffer.WrittenMemory.ToArray();
        }).ConfigureAwait(false);
        return Results.Bytes(bytes, "application/json");
    }
}

/// <summary>Mesos metric names in the Prometheus text format (0.0.4).</summary>
public static class PrometheusText
{
    public static string Format(SortedDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var text = new StringBuilder(metrics.Count * 96);
        foreach (var (name, value) in metrics)
        {
            var metric = MetricName(name, out var scale);
            text.Append("# HELP ").Append(metric).Append(" Mesos metric ").Append(name).Append('\n');
            text.Append("# TYPE ").Append(metric).Append(" gauge\n");
            text.Append(metric).Append(' ').Append(FormatValue(value * scale)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// <c>master/cpus_used</c> becomes <c>cairn_master_cpus_used</c>. Prometheus conventions need a few
    /// renames: gauges may not end in <c>_total</c> (Mesos' capacity gauges become <c>_capacity</c>),
    /// and units are spelled out in base units (<c>_ms</c> and <c>_secs</c> become <c>_seconds</c>).
    /// </summary>
    public static string MetricName(string name, out double scale)
    {
        ArgumentNullException.ThrowIfNull(name);
        scale = 1;
        var builder = new StringBuilder("cairn_", name.Length + 16);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_');
        }

        var metric = builder.ToString();
        if (metric.EndsWith("_total", StringComparison.Ordinal))
        {
            return metric[..^"_total".Length] + "_capacity";
        }

        if (metric.EndsWith("_ms", StringComparison.Ordinal))
        {
            scale = 0.001;
            return metric[..^"_ms".Length] + "_seconds";
        }

        if (metric.EndsWith("_secs", StringComparison.Ordinal))
        {
            return metric[..^"_secs".Length] + "_seconds";
        }

        return metric;
    }

    private static string FormatValue(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
