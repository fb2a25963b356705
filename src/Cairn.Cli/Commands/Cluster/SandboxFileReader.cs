using System.Text;
using System.Text.Json;

namespace Cairn.Cli;

/// <summary>Reads a sandbox file incrementally through an agent's /files/read (Mesos' pailer protocol).</summary>
internal sealed class SandboxFileReader
{
    private readonly HttpClient _http;
    private readonly Uri _agent;
    private readonly string _path;

    public SandboxFileReader(HttpClient http, Uri agent, string path)
    {
        _http = http;
        _agent = agent;
        _path = path;
    }

    /// <summary>Bytes read so far.</summary>
    public long Offset { get; set; }

    /// <summary>Everything appended since the last call (empty when nothing new, or the file is not there yet).</summary>
    public async Task<string> ReadNewAsync(CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        while (true)
        {
            var uri = new Uri(_agent, $"files/read?path={Uri.EscapeDataString(_path)}&offset={Offset}&length={1024 * 1024}");
            string body;
            try
            {
                using var response = await _http.GetAsync(uri, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    return text.ToString();
                }

                body = await response.Content.ReadAsStringAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (text.Length > 0)
            {
                // What was read is already counted in Offset: hand it out rather than lose it.
                return text.ToString();
            }

            using var json = JsonDocument.Parse(body);
            var data = json.RootElement.GetProperty("data").GetString() ?? "";
            if (data.Length == 0)
            {
                return text.ToString();
            }

            text.Append(data);
            Offset = json.RootElement.GetProperty("offset").GetInt64() + Encoding.UTF8.GetByteCount(data);
        }
    }

    /// <summary>The file's current size (Mesos: offset -1).</summary>
    public async Task<long> SizeAsync(CancellationToken cancellationToken)
    {
        var uri = new Uri(_agent, $"files/read?path={Uri.EscapeDataString(_path)}&offset=-1");
        using var response = await _http.GetAsync(uri, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return 0;
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.GetProperty("offset").GetInt64();
    }
}
