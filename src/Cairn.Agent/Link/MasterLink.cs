using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Cairn.Api.AgentLink;
using Cairn.Common;
using Google.Protobuf;
using Microsoft.Extensions.Logging;

namespace Cairn.Agent.Link;

/// <summary>
/// The agent's end of the master link (docs/api/agent-link.md): REGISTER opens a RecordIO stream of
/// <see cref="AgentEvent"/>s; PINGs are answered with PONG right here; every other event goes to the agent's
/// loop. A stream that ends, fails, or stays silent longer than ping_interval × max_ping_timeouts is a lost
/// link: the agent reconnects with jittered exponential backoff and re-registers with its id and tasks.
/// </summary>
public sealed partial class MasterLink : IMasterLink, IDisposable
{
    private const string LinkIdHeader = "Cairn-Link-Id";
    private static readonly MediaTypeHeaderValue s_protobuf = new("application/x-protobuf");
    private static readonly TimeSpan s_initialSilenceLimit = TimeSpan.FromSeconds(75);
    private static readonly TimeSpan s_minBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_maxBackoff = TimeSpan.FromSeconds(10);

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly ILogger _logger;
    private readonly Random _random;
    private volatile string? _linkId;
    private CancellationTokenSource? _current;

    /// <summary>Creates a link to the master at <paramref name="master"/> (host:port or http://host:port).</summary>
    public MasterLink(string master, ILogger logger, Random? random = null)
    {
        var baseUri = master.Contains("://", StringComparison.Ordinal) ? new Uri(master) : new Uri("http://" + master);
        _endpoint = new Uri(baseUri, "/cairn/v1/agent");
        _logger = logger;
        _random = random ?? new Random();
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The master's address as given.</summary>
    public Uri Endpoint => _endpoint;

    /// <summary>
    /// Keeps a link open until cancelled. <paramref name="buildRegister"/> is asked for a fresh REGISTER call
    /// before every attempt; <paramref name="onEvent"/> receives every event but PING, with the link id;
    /// <paramref name="onLost"/> is called when an established link ends.
    /// </summary>
    public async Task RunAsync(
        Func<CancellationToken, Task<AgentCall>> buildRegister,
        Action<string, AgentEvent> onEvent,
        Action onLost,
        CancellationToken cancellationToken)
    {
        // Full jitter, so agents that lost the master together do not come back in lockstep.
        var backoff = new ExponentialBackoff(s_minBackoff, s_maxBackoff, _random, jitter: 1.0);
        while (!cancellationToken.IsCancellationRequested)
        {
            var registered = false;
            try
            {
                var call = await buildRegister(cancellationToken);
                registered = await RunOnceAsync(call, onEvent, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException or InvalidProtocolBufferException or OperationCanceledException)
            {
                LogLinkError(_logger, _endpoint, e.Message);
            }
            finally
            {
                _linkId = null;
            }

            if (registered)
            {
                onLost();
                backoff.Reset();
            }

            try
            {
                await Task.Delay(backoff.Next(), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    // One link: returns true when REGISTERED was received (so the caller reports a loss when it ends).
    private async Task<bool> RunOnceAsync(AgentCall register, Action<string, AgentEvent> onEvent, CancellationToken cancellationToken)
    {
        using var linkCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _current = linkCts;
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = Protobuf(register) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-protobuf"));
        using var connectCts = CancellationTokenSource.CreateLinkedTokenSource(linkCts.Token);
        connectCts.CancelAfter(s_initialSilenceLimit);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connectCts.Token);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var body = await response.Content.ReadAsStringAsync(linkCts.Token);
            LogRefused(_logger, _endpoint, (int)response.StatusCode, body);
            return false;
        }

        var linkId = response.Headers.TryGetValues(LinkIdHeader, out var values) ? values.FirstOrDefault() : null;
        if (string.IsNullOrEmpty(linkId))
        {
            throw new InvalidDataException("the master's REGISTER answer has no Cairn-Link-Id header");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(linkCts.Token);
        var reader = PipeReader.Create(stream);
        var silenceLimit = s_initialSilenceLimit;
        var registered = false;
        try
        {
            while (true)
            {
                ReadResult read;
                using (var readCts = CancellationTokenSource.CreateLinkedTokenSource(linkCts.Token))
                {
                    readCts.CancelAfter(silenceLimit);
                    try
                    {
                        read = await reader.ReadAsync(readCts.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        if (!linkCts.IsCancellationRequested)
                        {
                            LogSilent(_logger, _endpoint, silenceLimit.TotalSeconds);
                        }

                        return registered;
                    }
                }

                var buffer = read.Buffer;
                while (true)
                {
                    var result = RecordIoReader.TryRead(ref buffer, out var record, out var error);
                    if (result == RecordIoReadResult.Malformed)
                    {
                        throw new InvalidDataException(error);
                    }

                    if (result != RecordIoReadResult.Record)
                    {
                        break;
                    }

                    var ev = AgentEvent.Parser.ParseFrom(record);
                    if (ev.Type == AgentEvent.Types.Type.Registered)
                    {
                        registered = true;
                        _linkId = linkId;
                        var interval = ev.Registered.HasPingIntervalSeconds ? ev.Registered.PingIntervalSeconds : 15;
                        var missed = ev.Registered.HasMaxPingTimeouts ? ev.Registered.MaxPingTimeouts : 5;
                        silenceLimit = TimeSpan.FromSeconds(Math.Max(1, interval * Math.Max(1u, missed)));
                    }

                    if (ev.Type == AgentEvent.Types.Type.Ping)
                    {
                        _ = PongAsync(ev.Ping.Sequence, linkCts.Token);
                    }
                    else
                    {
                        onEvent(linkId, ev);
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    LogStreamEnded(_logger, _endpoint);
                    return registered;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private async Task PongAsync(ulong sequence, CancellationToken cancellationToken)
    {
        var call = new AgentCall { Type = AgentCall.Types.Type.Pong, Pong = new AgentCall.Types.Pong { Sequence = sequence } };
        _ = await SendAsync(call, cancellationToken);
    }

    /// <summary>Sets the agent id carried by PONGs and other calls.</summary>
    public Mesos.V1.AgentID? AgentId { get; set; }

    /// <inheritdoc/>
    public async Task<LinkSendResult> SendAsync(AgentCall call, CancellationToken cancellationToken)
    {
        var linkId = _linkId;
        if (linkId is null)
        {
            return LinkSendResult.NotConnected;
        }

        if (call.AgentId is null && AgentId is { } id)
        {
            call.AgentId = id;
        }

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = Protobuf(call) };
            request.Headers.Add(LinkIdHeader, linkId);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            using var response = await _http.SendAsync(request, timeout.Token);
            if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
            {
                return LinkSendResult.Accepted;
            }

            if (response.StatusCode == HttpStatusCode.BadRequest)
            {
                // The master no longer knows this link: drop it so RunAsync re-registers.
                if (_linkId == linkId)
                {
                    Interlocked.Exchange(ref _current, null)?.Cancel();
                }

                return LinkSendResult.StaleLink;
            }

            return LinkSendResult.Failed;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            return LinkSendResult.Failed;
        }
    }

    private static ByteArrayContent Protobuf(IMessage message)
    {
        var content = new ByteArrayContent(message.ToByteArray());
        content.Headers.ContentType = s_protobuf;
        return content;
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "link to master {Master}: {Error}")]
    private static partial void LogLinkError(ILogger logger, Uri master, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "master {Master} refused registration: {Status} {Body}")]
    private static partial void LogRefused(ILogger logger, Uri master, int status, string body);

    [LoggerMessage(Level = LogLevel.Warning, Message = "link to master {Master} silent for {Seconds} s: reconnecting")]
    private static partial void LogSilent(ILogger logger, Uri master, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "master {Master} closed the link: reconnecting")]
    private static partial void LogStreamEnded(ILogger logger, Uri master);
}
