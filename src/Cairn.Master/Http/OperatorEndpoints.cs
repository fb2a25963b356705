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
            var metric = MetricName(name);
            text.Append("# HELP ").Append(metric).Append(" Mesos metric ").Append(name).Append('\n');
            text.Append("# TYPE ").Append(metric).Append(" gauge\n");
            text.Append(metric).Append(' ').Append(FormatValue(value)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary><c>master/cpus_total</c> becomes <c>cairn_master_cpus_total</c>.</summary>
    public static string MetricName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder("cairn_", name.Length + 6);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_');
        }

        return builder.ToString();
    }

    private static string FormatValue(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
