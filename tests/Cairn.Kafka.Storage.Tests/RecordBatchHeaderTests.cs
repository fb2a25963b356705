using System.Text;
using Cairn.Kafka.Protocol.Records;

namespace Cairn.Kafka.Storage.Tests;

public class RecordBatchHeaderTests
{
    // kafka.md a.5: minimal batch, value "hello", CreateTime 1700000000000, CRC 0xE641A44B.
    private static readonly byte[] Hello = Convert.FromHexString(
        "0000000000000000" + "0000003d" + "ffffffff" + "02" + "e641a44b" +
        "0000" + "00000000" + "0000018bcfe56800" + "0000018bcfe56800" +
        "ffffffffffffffff" + "ffff" + "ffffffff" + "00000001" +
        "16000000010a68656c6c6f00");

    [Fact]
    public void Crc32C_matches_the_standard_check_value() =>
        RecordBatchHeader.Crc32C(Encoding.ASCII.GetBytes("123456789")).ShouldBe(0xE3069283u);

    [Fact]
    public void Reads_the_reference_batch_and_validates_its_crc()
    {
        RecordBatchHeader.TryRead(Hello, out var header).ShouldBeTrue();
        header.BaseOffset.ShouldBe(0);
        header.BatchLength.ShouldBe(61);
        header.TotalSize.ShouldBe(Hello.Length);
        header.PartitionLeaderEpoch.ShouldBe(-1);
        header.Magic.ShouldBe((byte)2);
        header.Crc.ShouldBe(0xE641A44Bu);
        header.RecordCount.ShouldBe(1);
        header.MaxTimestamp.ShouldBe(1700000000000);
        header.ProducerId.ShouldBe(-1);
        header.CompressionCodec.ShouldBe(0);
        RecordBatchHeader.IsCrcValid(Hello).ShouldBeTrue();
        TestBatches.Build(new TestBatches.TestRecord(null, "hello", 1700000000000)).ShouldBe(Hello);
    }

    [Fact]
    public void Base_offset_and_leader_epoch_are_outside_the_crc_but_append_time_is_not()
    {
        var batch = (byte[])Hello.Clone();
        RecordBatchHeader.SetBaseOffset(batch, 42);
        RecordBatchHeader.SetPartitionLeaderEpoch(batch, 7);
        RecordBatchHeader.IsCrcValid(batch).ShouldBeTrue();
        RecordBatchHeader.TryRead(batch, out var header).ShouldBeTrue();
        header.BaseOffset.ShouldBe(42);
        header.PartitionLeaderEpoch.ShouldBe(7);

        RecordBatchHeader.SetLogAppendTime(batch, 1800000000000);
        RecordBatchHeader.IsCrcValid(batch).ShouldBeTrue();
        RecordBatchHeader.TryRead(batch, out header).ShouldBeTrue();
        header.MaxTimestamp.ShouldBe(1800000000000);
        header.IsLogAppendTime.ShouldBeTrue();

        batch[^2] ^= 0x01;
        RecordBatchHeader.IsCrcValid(batch).ShouldBeFalse();
    }

    [Fact]
    public void Too_short_input_is_rejected() =>
        RecordBatchHeader.TryRead(Hello.AsSpan(0, 60), out _).ShouldBeFalse();
}
