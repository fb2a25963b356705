using System.Globalization;

namespace Cairn.Common;

/// <summary>
/// Generates Mesos-style ids: the master id is a random (version 4) UUID; agent ids are <c>&lt;masterId&gt;-S&lt;n&gt;</c>,
/// framework ids <c>&lt;masterId&gt;-&lt;nnnn&gt;</c> and offer ids <c>&lt;masterId&gt;-O&lt;n&gt;</c>, numbered from 0.
/// Randomness is injected so tests get fixed ids. Counters are thread-safe.
/// </summary>
public sealed class IdGenerator
{
    private long _agents = -1;
    private long _frameworks = -1;
    private long _offers = -1;

    /// <summary>Creates a generator with a fresh master id drawn from <paramref name="random"/>.</summary>
    public IdGenerator(Random random)
        : this(NewUuid(random))
    {
    }

    /// <summary>Creates a generator for a known master id (e.g. a recovered one).</summary>
    public IdGenerator(string masterId)
    {
        ArgumentException.ThrowIfNullOrEmpty(masterId);
        MasterId = masterId;
    }

    /// <summary>This master's id.</summary>
    public string MasterId { get; }

    /// <summary>A random version-4 UUID in the canonical lower-case form.</summary>
    public static string NewUuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes, bigEndian: true).ToString("D");
    }

    /// <summary>The next agent id, <c>&lt;masterId&gt;-S&lt;n&gt;</c>.</summary>
    public string NextAgentId() => string.Create(CultureInfo.InvariantCulture, $"{MasterId}-S{Interlocked.Increment(ref _agents)}");

    /// <summary>The next framework id, <c>&lt;masterId&gt;-&lt;nnnn&gt;</c>.</summary>
    public string NextFrameworkId() => string.Create(CultureInfo.InvariantCulture, $"{MasterId}-{Interlocked.Increment(ref _frameworks):D4}");

    /// <summary>The next offer id, <c>&lt;masterId&gt;-O&lt;n&gt;</c>.</summary>
    public string NextOfferId() => string.Create(CultureInfo.InvariantCulture, $"{MasterId}-O{Interlocked.Increment(ref _offers)}");
}
