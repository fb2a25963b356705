using System.Diagnostics.Metrics;

namespace Cairn.Kafka.Broker.Telemetry;

/// <summary>The broker's System.Diagnostics.Metrics instruments (meter <c>Cairn.Kafka.Broker</c>).</summary>
public sealed class BrokerMetrics : IDisposable
{
    /// <summary>The meter name, for listeners and exporters.</summary>
    public const string MeterName = "Cairn.Kafka.Broker";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _requestErrors;
    private readonly Counter<long> _bytesIn;
    private readonly Counter<long> _bytesOut;
    private readonly Counter<long> _sendFileBytes;
    private readonly Counter<long> _producedRecords;
    private readonly Counter<long> _producedBytes;
    private readonly Counter<long> _fetchedBytes;
    private readonly UpDownCounter<long> _connections;
    private readonly Histogram<double> _requestSeconds;

    public BrokerMetrics(IMeterFactory? factory = null)
    {
        _meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("kafka.requests", "{request}", "Requests handled, by API");
        _requestErrors = _meter.CreateCounter<long>("kafka.request.errors", "{request}", "Requests rejected (unparsable, unknown API or version)");
        _bytesIn = _meter.CreateCounter<long>("kafka.network.bytes_in", "By", "Bytes received from clients");
        _bytesOut = _meter.CreateCounter<long>("kafka.network.bytes_out", "By", "Bytes sent to clients");
        _sendFileBytes = _meter.CreateCounter<long>("kafka.network.sendfile_bytes", "By", "Bytes sent with sendfile(2)");
        _producedRecords = _meter.CreateCounter<long>("kafka.produce.records", "{record}", "Records appended by Produce");
        _producedBytes = _meter.CreateCounter<long>("kafka.produce.bytes", "By", "Record batch bytes appended by Produce");
        _fetchedBytes = _meter.CreateCounter<long>("kafka.fetch.bytes", "By", "Record batch bytes returned by Fetch");
        _connections = _meter.CreateUpDownCounter<long>("kafka.network.connections", "{connection}", "Open client connections");
        _requestSeconds = _meter.CreateHistogram<double>("kafka.request.duration", "s", "Time to handle a request");
    }

    public Meter Meter => _meter;

    public void Request(string api, double seconds)
    {
        var tag = new KeyValuePair<string, object?>("api", api);
        _requests.Add(1, tag);
        _requestSeconds.Record(seconds, tag);
    }

    public void RequestError(string reason) => _requestErrors.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void BytesIn(long n) => _bytesIn.Add(n);

    public void BytesOut(long n) => _bytesOut.Add(n);

    public void SendFileBytes(long n) => _sendFileBytes.Add(n);

    public void Produced(long records, long bytes)
    {
        _producedRecords.Add(records);
        _producedBytes.Add(bytes);
    }

    public void Fetched(long bytes) => _fetchedBytes.Add(bytes);

    public void ConnectionOpened() => _connections.Add(1);

    public void ConnectionClosed() => _connections.Add(-1);

    public void Dispose() => _meter.Dispose();
}
