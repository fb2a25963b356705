using System.Buffers;
using FsCheck;
using FsCheck.Fluent;

namespace Cairn.Kafka.Protocol.Tests;

/// <summary>FsCheck properties: every primitive decodes to what was encoded and consumes exactly its bytes.</summary>
public sealed class PrimitivePropertyTests
{
    private delegate void Write(ref KafkaWriter writer);

    private delegate T Read<T>(ref KafkaReader reader);

    private static bool RoundTrips<T>(T value, Write write, Read<T> read, Func<T, T, bool>? equal = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(buffer);
        write(ref writer);
        writer.Flush();
        var counter = KafkaWriter.CreateCounting();
        write(ref counter);
        if (counter.BytesWritten != buffer.WrittenCount) return false;

        var reader = new KafkaReader(buffer.WrittenMemory);
        var decoded = read(ref reader);
        return reader.End && (equal ?? EqualityComparer<T>.Default.Equals)(value, decoded);
    }

    private static void Check<T>(Func<T, bool> property) =>
        Prop.ForAll(property).QuickCheckThrowOnFailure();

    [Fact]
    public void Fixed_width_integers_round_trip()
    {
        Check<sbyte>(v => RoundTrips(v, (ref w) => w.WriteInt8(v), (ref r) => r.ReadInt8()));
        Check<short>(v => RoundTrips(v, (ref w) => w.WriteInt16(v), (ref r) => r.ReadInt16()));
        Check<ushort>(v => RoundTrips(v, (ref w) => w.WriteUInt16(v), (ref r) => r.ReadUInt16()));
        Check<int>(v => RoundTrips(v, (ref w) => w.WriteInt32(v), (ref r) => r.ReadInt32()));
        Check<uint>(v => RoundTrips(v, (ref w) => w.WriteUInt32(v), (ref r) => r.ReadUInt32()));
        Check<long>(v => RoundTrips(v, (ref w) => w.WriteInt64(v), (ref r) => r.ReadInt64()));
        Check<bool>(v => RoundTrips(v, (ref w) => w.WriteBool(v), (ref r) => r.ReadBool()));
    }

    [Fact]
    public void Float64_and_uuid_round_trip()
    {
        Check<double>(v => RoundTrips(v, (ref w) => w.WriteFloat64(v), (ref r) => r.ReadFloat64(), (a, b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b)));
        Check<Guid>(v => RoundTrips(v, (ref w) => w.WriteUuid(v), (ref r) => r.ReadUuid()));
    }

    [Fact]
    public void Varints_round_trip_over_the_whole_range()
    {
        Check<int>(v => RoundTrips(v, (ref w) => w.WriteVarInt(v), (ref r) => r.ReadVarInt()));
        Check<long>(v => RoundTrips(v, (ref w) => w.WriteVarLong(v), (ref r) => r.ReadVarLong()));
        Check<uint>(v => RoundTrips(v, (ref w) => w.WriteUnsignedVarInt(v), (ref r) => r.ReadUnsignedVarInt()));
        Check<ulong>(v => RoundTrips(v, (ref w) => w.WriteUnsignedVarLong(v), (ref r) => r.ReadUnsignedVarLong()));
        foreach (var v in new[] { int.MinValue, int.MaxValue, 0, -1 })
        {
            RoundTrips(v, (ref w) => w.WriteVarInt(v), (ref r) => r.ReadVarInt()).ShouldBeTrue();
        }

        foreach (var v in new[] { long.MinValue, long.MaxValue })
        {
            RoundTrips(v, (ref w) => w.WriteVarLong(v), (ref r) => r.ReadVarLong()).ShouldBeTrue();
        }
    }

    [Fact]
    public void Strings_round_trip_in_every_encoding()
    {
        Check<string?>(v => RoundTrips(v, (ref w) => w.WriteString(v, compact: false, nullable: true), (ref r) => r.ReadString(compact: false, nullable: true)));
        Check<string?>(v => RoundTrips(v, (ref w) => w.WriteString(v, compact: true, nullable: true), (ref r) => r.ReadString(compact: true, nullable: true)));
        Check<NonNull<string>>(v => RoundTrips(v.Get, (ref w) => w.WriteString(v.Get), (ref r) => r.ReadString()));
    }

    [Fact]
    public void Bytes_records_and_array_lengths_round_trip()
    {
        static bool Same(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
        Check<byte[]?>(v => RoundTrips(v, (ref w) => w.WriteBytes(v, compact: false, nullable: true), (ref r) => r.ReadBytes(compact: false, nullable: true), Same));
        Check<byte[]?>(v => RoundTrips(v, (ref w) => w.WriteBytes(v, compact: true, nullable: true), (ref r) => r.ReadBytes(compact: true, nullable: true), Same));
        Check<byte[]?>(v => RoundTrips(
            v,
            (ref w) => w.WriteRecords(v is null ? null : v.AsMemory(), compact: true, nullable: true),
            (ref r) => r.ReadRecords(compact: true, nullable: true)?.ToArray(),
            Same));
    }

    [Theory]
    [InlineData(0, "00")]
    [InlineData(-1, "01")]
    [InlineData(1, "02")]
    [InlineData(63, "7e")]
    [InlineData(-64, "7f")]
    [InlineData(64, "8001")]
    [InlineData(300, "d804")]
    [InlineData(-300, "d704")]
    public void Zigzag_varints_match_kafka_md_vectors(int value, string hex)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new KafkaWriter(buffer);
        writer.WriteVarInt(value);
        writer.Flush();
        TestBytes.ToHex(buffer.WrittenSpan).ShouldBe(hex);
    }

    [Fact]
    public void Malformed_primitives_are_protocol_errors()
    {
        static void Throws(string hex, Read<object?> read) =>
            Should.Throw<KafkaProtocolException>(() =>
            {
                var reader = new KafkaReader(TestBytes.Hex(hex));
                read(ref reader);
            });

        Throws("00", (ref r) => r.ReadInt32());
        Throws("ffffffffff7f", (ref r) => r.ReadUnsignedVarInt());
        Throws("ffffffff1f", (ref r) => r.ReadUnsignedVarInt());
        Throws("0005 6162", (ref r) => r.ReadString());
        Throws("ffff", (ref r) => r.ReadString());
        Throws("fffe", (ref r) => r.ReadString(compact: false, nullable: true));
        Throws("7fffffff", (ref r) => r.ReadArrayLength(compact: false, nullable: false));
        Throws("ffffffff", (ref r) => r.ReadArrayLength(compact: false, nullable: false));
        Throws("00", (ref r) => r.ReadBytes(compact: true, nullable: false));
        Throws("ffffffff0f", (ref r) => r.ReadRecords(compact: true, nullable: true));
    }
}
