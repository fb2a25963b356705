namespace Cairn.Common;

/// <summary>Outcome of <see cref="RecordIoReader.TryRead"/>.</summary>
public enum RecordIoReadResult
{
    /// <summary>A whole record was read and the buffer advanced past it.</summary>
    Record,

    /// <summary>The buffer holds only part of a record; read more and call again.</summary>
    NeedMoreData,

    /// <summary>The header is not a positive decimal length, or the record exceeds the size limit. The stream is unusable.</summary>
    Malformed,
}
