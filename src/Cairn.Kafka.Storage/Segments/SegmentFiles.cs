using System.Globalization;

namespace Cairn.Kafka.Storage.Segments;

/// <summary>File names of a segment: the base offset zero-padded to 20 digits plus a suffix, like Kafka.</summary>
internal static class SegmentFiles
{
    public const string LogSuffix = ".log";
    public const string IndexSuffix = ".index";
    public const string TimeIndexSuffix = ".timeindex";

    /// <summary>Suffix of a compacted copy being written (deleted on recovery).</summary>
    public const string CleanedSuffix = ".cleaned";

    /// <summary>Suffix of a compacted copy ready to replace the original (completed on recovery).</summary>
    public const string SwapSuffix = ".swap";

    /// <summary>Suffix of a segment removed by retention whose readers may still hold it (deleted on recovery).</summary>
    public const string DeletedSuffix = ".deleted";

    public static string Name(long baseOffset) => baseOffset.ToString("D20", CultureInfo.InvariantCulture);

    public static string Log(string directory, long baseOffset) => Path.Combine(directory, Name(baseOffset) + LogSuffix);

    public static string Index(string directory, long baseOffset) => Path.Combine(directory, Name(baseOffset) + IndexSuffix);

    public static string TimeIndex(string directory, long baseOffset) => Path.Combine(directory, Name(baseOffset) + TimeIndexSuffix);

    /// <summary>Parses <c>00000000000000000042.log</c> (with any suffix after the digits) into 42.</summary>
    public static bool TryParseBaseOffset(string fileName, out long baseOffset)
    {
        baseOffset = -1;
        var dot = fileName.IndexOf('.', StringComparison.Ordinal);
        return dot == 20 &&
               long.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out baseOffset);
    }
}
