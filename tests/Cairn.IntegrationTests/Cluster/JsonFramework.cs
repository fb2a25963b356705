using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Cairn.IntegrationTests.Cluster;

/// <summary>
/// A framework written the way a third party would: raw HTTP and JSON against <c>POST /api/v1/scheduler</c>,
/// with its own RecordIO parsing. No Cairn code involved.
/// </summary>
public sealed class JsonFramework : IAsyncDisposable
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly Uri _endpoint;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly CancellationTokenSource _stop = new();
    private Task? _reader;

    public JsonFramework(Uri master) => _endpoint = new Uri(master, "api/v1/scheduler");

    public string FrameworkId { get; private set; } = "";

    public string StreamId { get; private set; } = "";

    public ChannelReader<JsonElement> Events => _events.Reader;

    public async System.Threading.Tasks.Task SubscribeAsync(string name)
    {
        var body = new JsonObject
        {
            ["type"] = "SUBSCRIBE",
            ["subscribe"] = new JsonObject
            {
                ["framework_info"] = new JsonObject { ["user"] = "root", ["name"] = name, ["roles"] = new JsonArray("*"), ["capabilities"] = new JsonArray(new JsonObject { ["type"] = "MULTI_ROLE" }) },
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await ErrorText(response));
        StreamId = response.Headers.GetValues("Mesos-Stream-Id").Single();
        var stream = await response.Content.ReadAsStreamAsync();
        _reader = System.Threading.Tasks.Task.Run(() => ReadAsync(response, stream));
        var subscribed = await NextAsync("SUBSCRIBED");
        FrameworkId = subscribed.GetProperty("subscribed").GetProperty("framework_id").GetProperty("value").GetString()!;
    }

    private static async Task<string> ErrorText(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync();

    private async System.Threading.Tasks.Task ReadAsync(HttpResponseMessage response, Stream stream)
    {
        using (response)
        {
            var header = new StringBuilder();
            var one = new byte[1];
            try
            {
                while (true)
                {
                    header.Clear();
                    while (true)
                    {
                        if (await stream.ReadAsync(one, _stop.Token) == 0)
                        {
                            return;
                        }

                        if (one[0] == '\n')
                        {
                            break;
                        }

                        header.Append((char)one[0]);
                    }

                    var record = new byte[int.Parse(header.ToString(), System.Globalization.CultureInfo.InvariantCulture)];
                    await stream.ReadExactlyAsync(record, _stop.Token);
                    using var doc = JsonDocument.Parse(record);
                    _events.Writer.TryWrite(doc.RootElement.Clone());
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or HttpRequestException)
            {
            }
            finally
            {
                _events.Writer.TryComplete();
            }
        }
    }

    /// <summary>The next event of a type (others are skipped), within a generous timeout.</summary>
    public async Task<JsonElement> NextAsync(string type, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            var ev = await _events.Reader.ReadAsync(cts.Token);
            if (ev.GetProperty("type").GetString() == type)
            {
                return ev;
            }
        }
    }

    /// <summary>POSTs a call with framework_id and Mesos-Stream-Id; returns the status code.</summary>
    public async Task<int> CallAsync(JsonObject call)
    {
        call["framework_id"] = new JsonObject { ["value"] = FrameworkId };
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new StringContent(call.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("Mesos-Stream-Id", StreamId);
        using var response = await _http.SendAsync(request);
        return (int)response.StatusCode;
    }

    public System.Threading.Tasks.Task<int> AcknowledgeAsync(JsonElement status)
    {
        if (!status.TryGetProperty("uuid", out var uuid))
        {
            return System.Threading.Tasks.Task.FromResult(202);
        }

        return CallAsync(new JsonObject
        {
            ["type"] = "ACKNOWLEDGE",
            ["acknowledge"] = new JsonObject
            {
                ["agent_id"] = JsonNode.Parse(status.GetProperty("agent_id").GetRawText()),
                ["task_id"] = JsonNode.Parse(status.GetProperty("task_id").GetRawText()),
                ["uuid"] = uuid.GetString(),
            },
        });
    }

    public System.Threading.Tasks.Task<int> LaunchAsync(JsonElement offer, IEnumerable<JsonObject> tasks) => CallAsync(new JsonObject
    {
        ["type"] = "ACCEPT",
        ["accept"] = new JsonObject
        {
            ["offer_ids"] = new JsonArray(JsonNode.Parse(offer.GetProperty("id").GetRawText())),
            ["operations"] = new JsonArray(new JsonObject
            {
                ["type"] = "LAUNCH",
                ["launch"] = new JsonObject { ["task_infos"] = new JsonArray([.. tasks]) },
            }),
            ["filters"] = new JsonObject { ["refuse_seconds"] = 0.5 },
        },
    });

    public System.Threading.Tasks.Task<int> DeclineAsync(JsonElement offer, double refuseSeconds) => CallAsync(new JsonObject
    {
        ["type"] = "DECLINE",
        ["decline"] = new JsonObject
        {
            ["offer_ids"] = new JsonArray(JsonNode.Parse(offer.GetProperty("id").GetRawText())),
            ["filters"] = new JsonObject { ["refuse_seconds"] = refuseSeconds },
        },
    });

    /// <summary>A command task as JSON, with the offer's agent id and allocation role.</summary>
    public static JsonObject CommandTask(JsonElement offer, string id, string shell, double cpus, double mem)
    {
        var role = offer.TryGetProperty("allocation_info", out var info) ? info.GetProperty("role").GetString() : "*";
        JsonObject Scalar(string name, double value) => new()
        {
            ["name"] = name,
            ["type"] = "SCALAR",
            ["scalar"] = new JsonObject { ["value"] = value },
            ["allocation_info"] = new JsonObject { ["role"] = role },
        };
        return new JsonObject
        {
            ["name"] = id,
            ["task_id"] = new JsonObject { ["value"] = id },
            ["agent_id"] = JsonNode.Parse(offer.GetProperty("agent_id").GetRawText()),
            ["resources"] = new JsonArray(Scalar("cpus", cpus), Scalar("mem", mem)),
            ["command"] = new JsonObject { ["shell"] = true, ["value"] = shell },
        };
    }

    public static double ScalarOf(JsonElement offer, string name)
    {
        var total = 0.0;
        foreach (var resource in offer.GetProperty("resources").EnumerateArray())
        {
            if (resource.GetProperty("name").GetString() == name && resource.TryGetProperty("scalar", out var scalar))
            {
                total += scalar.GetProperty("value").GetDouble();
            }
        }

        return total;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_reader is not null)
        {
            await _reader;
        }

        _http.Dispose();
        _stop.Dispose();
    }
}
