namespace Cairn.Agent.Link;

/// <summary>Reads RecordIO records (<c>&lt;decimal length&gt;\n&lt;bytes&gt;</c>) from a stream.</summary>
internal sealed class RecordIOReader
{
    private const int MaxRecordLength = 64 * 1024 * 1024;
    private readonly Stream _stream;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    public RecordIOReader(Stream stream) => _stream = stream;

    /// <summary>The next record, or null at the end of the stream. Throws <see cref="InvalidDataException"/> on a bad frame.</summary>
    public async ValueTask<byte[]?> ReadAsync(CancellationToken cancellationToken)
    {
        long length = 0;
        var digits = 0;
        while (true)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                return digits == 0 ? null : throw new InvalidDataException("RecordIO stream ended inside a length");
            }

            var b = _buffer[_start++];
            if (b == (byte)'\n')
            {
                break;
            }

            if (b is < (byte)'0' or > (byte)'9' || ++digits > 10)
            {
                throw new InvalidDataException("malformed RecordIO length");
            }

            length = (length * 10) + (b - '0');
        }

        if (digits == 0 || length > MaxRecordLength)
        {
            throw new InvalidDataException($"bad RecordIO record length {length}");
        }

        var record = new byte[length];
        var copied = 0;
        while (copied < length)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                throw new InvalidDataException("RecordIO stream ended inside a record");
            }

            var n = (int)Math.Min(length - copied, _end - _start);
            Buffer.BlockCopy(_buffer, _start, record, copied, n);
            _start += n;
            copied += n;
        }

        return record;
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await _stream.ReadAsync(_buffer.AsMemory(), cancellationToken);
        return _end > 0;
    }
}
