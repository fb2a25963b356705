using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Threading.Channels;
using Cairn.Common;
using Google.Protobuf;
using Mesos.V1;
using Mesos.V1.Scheduler;

namespace Cairn.Scheduler;

/// <summary>
/// A framework's connection to the master over the Mesos v1 scheduler HTTP API (<c>POST /api/v1/scheduler</c>,
/// <c>application/x-protobuf</c>), so it works against Cairn and against a real Mesos master.
/// <para>
/// <see cref="StartAsync"/> subscribes and keeps the subscription: it decodes the RecordIO event stream, tracks
/// <c>Mesos-Stream-Id</c>, treats <see cref="SchedulerClientOptions.MissedHeartbeats"/> missing heartbeats as a lost
/// connection, finds the leader among the configured masters (following 307 redirects), and re-subscribes with the
/// framework id after a disconnection. Events arrive on <see cref="Events"/>; a new SUBSCRIBED event tells the
/// framework to reconcile.
/// </para>
/// </summary>
public sealed partial class SchedulerClient : IAsyncDisposable
{
    private const string StreamIdHeader = "Mesos-Stream-Id";
    private const string Path = "/api/v1/scheduler";
    private static readonly MediaTypeHeaderValue s_protobuf = new("application/x-protobuf");

    private readonly SchedulerClientOptions _options;
    private readonly HttpClient _http;
    private readonly Channel<Event> _events = Channel.CreateUnbounded<Event>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Random _random = new();
    private Task? _loop;
    private volatile Uri? _leader;
    private volatile string? _streamId;
    private volatile FrameworkID? _frameworkId;

    /// <summary>Creates a client; nothing is sent until <see cref="StartAsync"/>.</summary>
    public SchedulerClient(SchedulerClientOptions options, HttpMessageHandler? handler = null)
    {
        if (options.Masters.Count == 0)
        {
            throw new ArgumentException("at least one master address is needed", nameof(options));
        }

        _options = options;
        _frameworkId = options.Framework.Id;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The events from the master, in stream order, across re-subscriptions.</summary>
    public ChannelReader<Event> Events => _events.Reader;

    /// <summary>The events as an async stream.</summary>
    public IAsyncEnumerable<Event> ReadEventsAsync(CancellationToken cancellationToken) => _events.Reader.ReadAllAsync(cancellationToken);

    /// <summary>The framework id, once subscribed (or as configured for a failover).</summary>
    public FrameworkID? FrameworkId => _frameworkId;

    /// <summary>The master the current subscription runs on.</summary>
    public Uri? Leader => _leader;

    /// <summary>The current subscription's stream id, or null while disconnected.</summary>
    public string? StreamId => _streamId;

    /// <summary>Starts subscribing in the background; the subscription lives until disposal or <paramref name="cancellationToken"/>.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("already started");
        }

        var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, cancellationToken);
        _loop = Task.Run(async () =>
        {
            using (linked)
            {
                await SubscriptionLoopAsync(linked.Token);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task SubscriptionLoopAsync(CancellationToken cancellationToken)
    {
        var backoff = new ExponentialBackoff(_options.MinReconnectBackoff, _options.MaxReconnectBackoff, _random);
        var next = 0;
        Exception? fatal = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var candidate = _leader ?? MasterUri(_options.Masters[next++ % _options.Masters.Count]);
                var outcome = await SubscribeOnceAsync(candidate, cancellationToken);
                _streamId = null;
                if (outcome.Fatal is { } message)
                {
                    _events.Writer.TryWrite(new Event { Type = Event.Types.Type.Error, Error = new Event.Types.Error { Message = message } });
                    fatal = new InvalidOperationException(message);
                    return;
                }

                if (!outcome.Subscribed)
                {
                    _leader = null;
                }
                else
                {
                    backoff.Reset();
                }

                if (!_options.Reconnect && outcome.Subscribed)
                {
                    return;
                }

                await Task.Delay(backoff.Next(), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _events.Writer.TryComplete(fatal);
        }
    }

    private readonly record struct Outcome(bool Subscribed, string? Fatal);

    private async Task<Outcome> SubscribeOnceAsync(Uri master, CancellationToken cancellationToken)
    {
        var framework = _options.Framework.Clone();
        if (_frameworkId is { } id)
        {
            framework.Id = id;
        }

        var call = new Call { Type = Call.Types.Type.Subscribe, Subscribe = new Call.Types.Subscribe { FrameworkInfo = framework } };
        if (framework.Id is not null)
        {
            call.FrameworkId = framework.Id;
        }

        var target = master;
        for (var redirects = 0; redirects < 3; redirects++)
        {
            HttpResponseMessage response;
            try
            {
                using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                connect.CancelAfter(_options.RequestTimeout);
                using var request = NewRequest(target, call, streamId: null);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-protobuf"));
                response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, connect.Token);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                return new Outcome(false, null);
            }

            using (response)
            {
                if (response.StatusCode is HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect or HttpStatusCode.Redirect
                    && response.Headers.Location is { } location)
                {
                    // Mesos sends a protocol-relative Location ("//leader:5050/api/v1/scheduler").
                    var resolved = new Uri(target, location);
                    target = new Uri(resolved.GetLeftPart(UriPartial.Authority));
                    continue;
                }

                if (response.StatusCode != HttpStatusCode.OK)
                {
                    var body = await response.Content.ReadAsStringAsync(cancellationToken);
                    // 4xx: the master will not take this subscription as it is (removed framework, bad FrameworkInfo).
                    return (int)response.StatusCode is >= 400 and < 500
                        ? new Outcome(false, $"SUBSCRIBE refused by {target}: {(int)response.StatusCode} {body.Trim()}")
                        : new Outcome(false, null);
                }

                var streamId = response.Headers.TryGetValues(StreamIdHeader, out var values) ? values.FirstOrDefault() : null;
                if (string.IsNullOrEmpty(streamId))
                {
                    return new Outcome(false, null);
                }

                _leader = target;
                _streamId = streamId;
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
                var subscribed = await ReadEventsAsync(stream, cancellationToken);
                return new Outcome(subscribed, null);
            }
        }

        return new Outcome(false, null);
    }

    // Reads events until the stream ends, breaks, or heartbeats stop. Returns whether SUBSCRIBED arrived.
    private async Task<bool> ReadEventsAsync(Stream stream, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream);
        var subscribed = false;
        var silence = TimeSpan.FromSeconds(15 * _options.MissedHeartbeats);
        try
        {
            while (true)
            {
                ReadResult read;
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    timeout.CancelAfter(silence);
                    try
                    {
                        read = await reader.ReadAsync(timeout.Token);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        return subscribed;
                    }
                }

                var buffer = read.Buffer;
                while (true)
                {
                    var result = RecordIoReader.TryRead(ref buffer, out var record, out _);
                    if (result == RecordIoReadResult.Malformed)
                    {
                        return subscribed;
                    }

                    if (result != RecordIoReadResult.Record)
                    {
                        break;
                    }

                    var ev = Event.Parser.ParseFrom(record);
                    if (ev.Type == Event.Types.Type.Subscribed)
                    {
                        subscribed = true;
                        _frameworkId = ev.Subscribed.FrameworkId;
                        var interval = ev.Subscribed.HasHeartbeatIntervalSeconds ? ev.Subscribed.HeartbeatIntervalSeconds : 15;
                        silence = TimeSpan.FromSeconds(Math.Max(0.1, interval) * Math.Max(1, _options.MissedHeartbeats));
                    }

                    if (ev.Type != Event.Types.Type.Heartbeat)
                    {
                        _events.Writer.TryWrite(ev);
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted)
                {
                    return subscribed;
                }
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or InvalidProtocolBufferException)
        {
            return subscribed;
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static Uri MasterUri(string address) =>
        new(address.Contains("://", StringComparison.Ordinal) ? address : "http://" + address);

    private static HttpRequestMessage NewRequest(Uri master, Call call, string? streamId)
    {
        var content = new ByteArrayContent(call.ToByteArray());
        content.Headers.ContentType = s_protobuf;
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(master, Path)) { Content = content };
        if (streamId is not null)
        {
            request.Headers.Add(StreamIdHeader, streamId);
        }

        return request;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }

        _http.Dispose();
        _stop.Dispose();
    }
}
