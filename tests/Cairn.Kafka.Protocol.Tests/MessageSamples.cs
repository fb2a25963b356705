namespace Cairn.Kafka.Protocol.Tests;

/// <summary>Random value sources used by the generated <c>Fill</c> methods.</summary>
internal static partial class MessageSamples
{
    [ThreadStatic]
    private static int _depth;

    private static int Depth(Random r) => _depth;

    private static void Enter(Random r) => _depth++;

    private static void Leave(Random r) => _depth--;

    private static int RandomInt32(Random r) => r.Next(4) switch
    {
        0 => 0,
        1 => -1,
        2 => r.Next(0, 1000),
        _ => (int)r.NextInt64(int.MinValue, int.MaxValue + 1L),
    };

    private static long RandomInt64(Random r) => r.Next(3) switch
    {
        0 => -1,
        1 => r.Next(0, 100000),
        _ => r.NextInt64(long.MinValue, long.MaxValue),
    };

    private static Guid RandomUuid(Random r)
    {
        Span<byte> b = stackalloc byte[16];
        r.NextBytes(b);
        return new Guid(b);
    }

    private static readonly string[] Words = ["", "a", "topic-1", "__consumer_offsets", "rdkafka", "ünïcødé ✓", "x.y_z"];

    private static string RandomString(Random r) => Words[r.Next(Words.Length)];

    private static byte[] RandomBytes(Random r)
    {
        var b = new byte[r.Next(0, 40)];
        r.NextBytes(b);
        return b;
    }
}
