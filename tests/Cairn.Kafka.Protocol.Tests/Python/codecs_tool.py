"""Cross-check helper: compress/decompress hex from stdin with Python's reference codec modules.

  compress <variant> | decompress <variant>
  variants: gzip, snappy-raw (python-snappy block), snappy-xerial (kafka-python framing),
            lz4-linked (frame, linked blocks, content checksum + size), lz4 (frame, kafka-python defaults),
            zstd-nosize (frame without content size), zstd-stream (streaming compressobj)
"""
import binascii
import gzip
import sys

import lz4.frame
import snappy
import zstandard
from kafka.codec import snappy_decode, snappy_encode

mode, variant = sys.argv[1], sys.argv[2]
data = binascii.unhexlify(sys.stdin.read().strip())

if mode == "compress":
    if variant == "gzip":
        out = gzip.compress(data)
    elif variant == "snappy-raw":
        out = snappy.compress(data)
    elif variant == "snappy-xerial":
        out = snappy_encode(data, xerial_compatible=True, xerial_blocksize=4096)
    elif variant == "lz4-linked":
        out = lz4.frame.compress(data, block_linked=True, content_checksum=True, store_size=True)
    elif variant == "lz4":
        out = lz4.frame.compress(data, block_linked=False, store_size=False)
    elif variant == "zstd-nosize":
        out = zstandard.ZstdCompressor(write_content_size=False).compress(data)
    elif variant == "zstd-stream":
        c = zstandard.ZstdCompressor().compressobj()
        out = c.compress(data[: len(data) // 2]) + c.compress(data[len(data) // 2:]) + c.flush()
    else:
        raise SystemExit("unknown variant " + variant)
else:
    if variant == "gzip":
        out = gzip.decompress(data)
    elif variant == "snappy-raw":
        out = snappy.decompress(data)
    elif variant == "snappy-xerial":
        out = snappy_decode(data)
    elif variant.startswith("lz4"):
        out = lz4.frame.decompress(data)
    elif variant.startswith("zstd"):
        out = zstandard.ZstdDecompressor().decompressobj().decompress(data)
    else:
        raise SystemExit("unknown variant " + variant)

print(binascii.hexlify(out).decode())
