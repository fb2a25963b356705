"""Cross-check helper: builds and reads magic-v2 record batches with kafka-python 2.0.2 (Debian python3-kafka).

  build <codec>   print the hex of a 50-record batch compressed with codec 0-4 (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd)
  read            read a batch as hex from stdin, print "crc ok|bad" then one line per record
"""
import binascii
import sys

from kafka.record.default_records import DefaultRecordBatch, DefaultRecordBatchBuilder


def records():
    for i in range(50):
        key = None if i % 3 == 0 else b"key-%d" % i
        value = None if i % 7 == 0 else (b"value-%d-" % i) * 20
        headers = [("h%d" % i, b"v%d" % i), ("n", None)] if i % 2 else []
        yield i, 1700000000000 + i * 10, key, value, headers


def show(value):
    return "null" if value is None else binascii.hexlify(value).decode()


if sys.argv[1] == "build":
    builder = DefaultRecordBatchBuilder(
        magic=2, compression_type=int(sys.argv[2]), is_transactional=False,
        producer_id=-1, producer_epoch=-1, base_sequence=-1, batch_size=1 << 24)
    for offset, ts, key, value, headers in records():
        builder.append(offset, timestamp=ts, key=key, value=value, headers=headers)
    print(binascii.hexlify(bytes(builder.build())).decode())
else:
    batch = DefaultRecordBatch(bytearray(binascii.unhexlify(sys.stdin.read().strip())))
    print("crc ok" if batch.validate_crc() else "crc bad")
    for r in batch:
        hs = ",".join("%s=%s" % (k, show(v)) for k, v in r.headers)
        print(r.offset, r.timestamp, show(r.key), show(r.value), hs)
