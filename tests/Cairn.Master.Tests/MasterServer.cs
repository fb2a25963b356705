using System.Net.Http.Headers;
using System.Text;
using Cairn.Master.Hosting;
using Cairn.Master.Options;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cairn.Master.Tests;

/// <summary>A real master on 127.0.0.1:0 (Kestrel, the real allocator and registry) with an HttpClient.</summary>
internal sealed class MasterServer : IAsyncDisposable
{
    private readonly bool _ownsWorkDir;

    private MasterServer(MasterHost host, string workDir, bool ownsWorkDir)
    {
        _ownsWorkDir = ownsWorkDir;
        Host = host;
        WorkDir = workDir;
        Client = new HttpClient { BaseAddress = host.Address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public MasterHost Host { get; }

    public string WorkDir { get; }

    public HttpClient Client { get; }

    public static async Task<MasterServer> StartAsync(string? workDir = null, Action<MasterOptions>? configure = null)
    {
        var owns = workDir is null;
        workDir ??= Directory.CreateTempSubdirectory("cairn-master-test-").FullName;
        var options = new MasterOptions { Port = 0, WorkDir = workDir };
        configure?.Invoke(options);
        var host = await MasterHost.StartAsync(options, NullLoggerFactory.Instance);
        return new MasterServer(host, workDir, owns);
    }

    public static HttpContent Json(string json) => new StringContent(json, Encoding.UTF8, "application/json");

    public static HttpContent Raw(byte[] body, string? contentType)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        return content;
    }

    public async Task<HttpResponseMessage> PostAsync(string path, HttpContent content, string? streamId = null, string? accept = null, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (streamId is not null)
        {
            request.Headers.TryAddWithoutValidation("Mesos-Stream-Id", streamId);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await Client.SendAsync(request, completion);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        if (!_ownsWorkDir)
        {
            return;
        }

        try
        {
            Directory.Delete(WorkDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Reads RecordIO frames from a response body.</summary>
internal sealed class RecordIoStream(Stream stream)
{
    public async Task<byte[]> NextAsync(CancellationToken cancellationToken)
    {
        long length = 0;
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new EndOfStreamException();
            }

            if (one[0] == (byte)'\n')
            {
                break;
            }

            length = (length * 10) + (one[0] - '0');
        }

        var record = new byte[length];
        await stream.ReadExactlyAsync(record, cancellationToken);
        return record;
    }

    public async Task<string> NextJsonAsync(CancellationToken cancellationToken) => Encoding.UTF8.GetString(await NextAsync(cancellationToken));
}
