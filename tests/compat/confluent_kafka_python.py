#!/usr/bin/python3
"""confluent-kafka-python 1.7.0 (Debian python3-confluent-kafka, librdkafka 2.0.2) against a broker.

usage: /usr/bin/python3 confluent_kafka_python.py BOOTSTRAP TOPIC_PREFIX

Every check uses its own topic, so no check depends on another's records. Ordering is asserted
only where Kafka guarantees it: one producer, one partition, max.in.flight=1.
"""
import logging
import time

import confluent_kafka
from confluent_kafka import Consumer, Producer, TopicPartition, OFFSET_BEGINNING, OFFSET_END
from confluent_kafka.admin import AdminClient, NewTopic, ConfigResource

from checks import (args, big_value, check, digest, expect, expect_contiguous, expect_same_set, finish,
                    past_timestamps, wait_until)

bootstrap, prefix = args()
print(f"confluent-kafka-python {confluent_kafka.version()[0]}, librdkafka {confluent_kafka.libversion()[0]}", flush=True)


class CompressionWarnings(logging.Handler):
    """librdkafka silently sends uncompressed batches when the broker lacks a codec's API versions
    (zstd needs Produce v7 and Fetch v10); it says so only through the `msg` debug facility."""
    def __init__(self):
        super().__init__()
        self.lines = []
        self.message_sets = []

    def emit(self, record):
        text = record.getMessage()
        if "not compressing" in text or "does not support compression" in text:
            self.lines.append(text)
        if "Produce MessageSet with" in text:
            self.message_sets.append(text)


def producer(**extra):
    conf = {"bootstrap.servers": bootstrap, "linger.ms": 5, "max.in.flight.requests.per.connection": 1}
    logger = extra.pop("logger", None)
    conf.update(extra)
    return Producer(conf, logger=logger) if logger is not None else Producer(conf)


def produce_all(p, topic, records, partition=0):
    """records: (key, value, headers, timestamp) tuples; fails on any delivery error."""
    errors = []

    def delivered(err, msg):
        if err is not None:
            errors.append(str(err))

    for key, value, headers, ts in records:
        while True:
            try:
                kwargs = {"key": key, "value": value, "partition": partition, "on_delivery": delivered}
                if headers:
                    kwargs["headers"] = headers
                if ts is not None:
                    kwargs["timestamp"] = ts
                p.produce(topic, **kwargs)
                break
            except BufferError:  # local queue full: let deliveries drain
                p.poll(0.1)
        p.poll(0)
    remaining = p.flush(60)
    expect(remaining == 0, f"{remaining} records not delivered within 60 s")
    expect(not errors, f"delivery errors: {errors[:3]}")


def new_consumer():
    return Consumer({"bootstrap.servers": bootstrap, "group.id": f"{prefix}-unused", "enable.auto.commit": False,
                     "enable.partition.eof": False, "auto.offset.reset": "earliest"})


def high_watermark(topic, partition=0):
    c = new_consumer()
    try:
        return c.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)[1]
    finally:
        c.close()


def wait_visible(topic, count, partition=0):
    """acks=0 records may still be in flight: wait until the log end covers them."""
    return wait_until(lambda: high_watermark(topic, partition) >= count, f"{count} records visible in {topic}")


def consume(topic, start, count, partition=0, timeout=60.0):
    c = new_consumer()
    try:
        c.assign([TopicPartition(topic, partition, start)])
        out = []
        deadline = time.monotonic() + timeout
        while len(out) < count:
            expect(time.monotonic() < deadline, f"consumed only {len(out)} of {count} records from {topic} within {timeout:.0f} s")
            m = c.poll(0.5)
            if m is None:
                continue
            expect(m.error() is None, f"consumer error: {m.error()}")
            out.append(m)
        return out
    finally:
        c.close()


def simple_records(n, tag):
    return [(f"k{i}".encode(), f"{tag}-{i}".encode(), [("h", f"hv{i}".encode())], None) for i in range(n)]


admin = AdminClient({"bootstrap.servers": bootstrap})


@check("metadata lists the broker")
def _():
    md = admin.list_topics(timeout=30)
    ports = [b.port for b in md.brokers.values()]
    expect(len(md.brokers) >= 1, "no brokers in metadata")
    expect(int(bootstrap.rsplit(":", 1)[1]) in ports, f"bootstrap port not among brokers {ports}")
    expect(md.controller_id in md.brokers, f"controller {md.controller_id} is not a listed broker")


admin_topic = f"{prefix}-admin"


@check("admin create topics (3 partitions, retention.ms)")
def _():
    fs = admin.create_topics([NewTopic(admin_topic, num_partitions=3, replication_factor=1,
                                       config={"retention.ms": "3600000"})], operation_timeout=30)
    fs[admin_topic].result(60)
    md = wait_until(lambda: admin.list_topics(admin_topic, timeout=10).topics.get(admin_topic), "the created topic in metadata")
    expect(md.error is None, f"topic error {md.error}")
    expect(sorted(md.partitions) == [0, 1, 2], f"partitions {sorted(md.partitions)}")


@check("admin create topics rejects an existing topic")
def _():
    fs = admin.create_topics([NewTopic(admin_topic, num_partitions=1, replication_factor=1)])
    try:
        fs[admin_topic].result(60)
    except confluent_kafka.KafkaException as e:
        expect(e.args[0].code() == confluent_kafka.KafkaError.TOPIC_ALREADY_EXISTS, f"error {e}")
    else:
        raise AssertionError("creating an existing topic succeeded")


@check("admin describe configs")
def _():
    fs = admin.describe_configs([ConfigResource(ConfigResource.Type.TOPIC, admin_topic)])
    configs = list(fs.values())[0].result(60)
    expect(configs["retention.ms"].value == "3600000", f"retention.ms = {configs['retention.ms'].value}")
    expect("cleanup.policy" in configs, f"no cleanup.policy among {sorted(configs)[:10]}")


@check("produce to and consume from partition 2")
def _():
    produce_all(producer(acks="all"), admin_topic, simple_records(20, "p2"), partition=2)
    got = consume(admin_topic, OFFSET_BEGINNING, 20, partition=2)
    expect([m.value() for m in got] == [f"p2-{i}".encode() for i in range(20)], "partition 2 values differ")
    expect(all(m.partition() == 2 for m in got), "record from another partition")


@check("admin delete topics")
def _():
    # A topic no client holds a handle for: librdkafka handles (the admin client's too) refresh the topics
    # they know with auto-creation allowed, which would bring a deleted topic straight back.
    topic = f"{prefix}-delete"
    admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])[topic].result(60)
    wait_until(lambda: topic in admin.list_topics(timeout=10).topics, "the topic in metadata")
    admin.delete_topics([topic], operation_timeout=30)[topic].result(60)
    wait_until(lambda: topic not in admin.list_topics(timeout=10).topics, "the topic to disappear from metadata")


for acks in ("0", "1", "all"):
    @check(f"produce acks={acks} with keys and headers, consume from earliest")
    def _():
        topic = f"{prefix}-acks-{acks}"
        records = simple_records(200, f"a{acks}")
        produce_all(producer(acks=acks), topic, records)
        wait_visible(topic, len(records))
        got = consume(topic, OFFSET_BEGINNING, len(records))
        expect_contiguous([m.offset() for m in got], 0, topic)
        expect_same_set([(m.key(), m.value(), tuple(m.headers() or ())) for m in got],
                        [(k, v, tuple(h)) for k, v, h, _ in records], topic)
        if acks != "0":  # one producer, one partition, one request in flight: order is kept
            expect([m.value() for m in got] == [v for _, v, _, _ in records], "order differs from send order")


@check("null values, null keys and empty values")
def _():
    topic = f"{prefix}-nulls"
    produce_all(producer(acks="all"), topic, [(b"tombstone", None, None, None), (None, b"no-key", None, None),
                                               (b"empty", b"", None, None), (None, None, None, None)])
    got = consume(topic, OFFSET_BEGINNING, 4)
    expect([(m.key(), m.value()) for m in got] == [(b"tombstone", None), (None, b"no-key"), (b"empty", b""), (None, None)],
           f"got {[(m.key(), m.value()) for m in got]}")


@check("large batch: 10,000 records")
def _():
    topic = f"{prefix}-batch"
    records = [(None, f"r{i:05d}".encode(), None, None) for i in range(10_000)]
    produce_all(producer(acks="1", **{"linger.ms": 50, "max.in.flight.requests.per.connection": 5}), topic, records)
    got = consume(topic, OFFSET_BEGINNING, len(records))
    expect_contiguous([m.offset() for m in got], 0, topic)
    expect_same_set([m.value() for m in got], [v for _, v, _, _ in records], topic)


@check("a ~900 KB record")
def _():
    topic = f"{prefix}-big"
    value = big_value()
    produce_all(producer(acks="all"), topic, [(b"big", value, None, None)])
    got = consume(topic, OFFSET_BEGINNING, 1)
    expect(digest(got[0].value()) == digest(value), f"value differs ({len(got[0].value())} bytes)")


positions_topic = f"{prefix}-positions"
stamps = past_timestamps(10)


@check("create-time timestamps round-trip")
def _():
    produce_all(producer(acks="all"), positions_topic, [(None, f"t{i}".encode(), None, ts) for i, ts in enumerate(stamps)])
    got = consume(positions_topic, OFFSET_BEGINNING, 10)
    expect([m.timestamp()[1] for m in got] == stamps, f"timestamps {[m.timestamp() for m in got]}")


@check("offsets for times (ListOffsets by timestamp)")
def _():
    c = new_consumer()
    try:
        asked = [TopicPartition(positions_topic, 0, stamps[0]), ]
        expect(c.offsets_for_times(asked, timeout=30)[0].offset == 0, "timestamp of the first record")
        mid = c.offsets_for_times([TopicPartition(positions_topic, 0, stamps[4] + 500)], timeout=30)[0].offset
        expect(mid == 5, f"first offset at or after t4+500 ms is {mid}, expected 5")
        after = c.offsets_for_times([TopicPartition(positions_topic, 0, stamps[-1] + 1)], timeout=30)[0].offset
        expect(after in (-1, 10), f"offset after the last timestamp is {after}, expected end (-1)")
    finally:
        c.close()
    got = consume(positions_topic, mid, 1)
    expect(got[0].offset() == 5 and got[0].value() == b"t5", f"consuming from {mid} gave {got[0].offset()}")


@check("watermarks (earliest and latest offsets)")
def _():
    c = new_consumer()
    try:
        low, high = c.get_watermark_offsets(TopicPartition(positions_topic, 0), timeout=30)
        expect((low, high) == (0, 10), f"watermarks {(low, high)}")
    finally:
        c.close()


@check("consume from an absolute offset and seek")
def _():
    c = new_consumer()
    try:
        c.assign([TopicPartition(positions_topic, 0, 3)])
        first = wait_until(lambda: c.poll(0.5), "a record from offset 3")
        expect(first.offset() == 3, f"first record at {first.offset()}")
        c.seek(TopicPartition(positions_topic, 0, 8))
        after = wait_until(lambda: c.poll(0.5), "a record after seek")
        expect(after.offset() == 8 and after.value() == b"t8", f"after seek got offset {after.offset()}")
        c.seek(TopicPartition(positions_topic, 0, 1))
        back = wait_until(lambda: c.poll(0.5), "a record after seeking back")
        expect(back.offset() == 1, f"after seeking back got offset {back.offset()}")
    finally:
        c.close()


@check("consume from latest sees only new records")
def _():
    c = new_consumer()
    p = producer(acks="all")
    try:
        c.assign([TopicPartition(positions_topic, 0, OFFSET_END)])
        # The end offset is resolved asynchronously: keep producing until one of the new records arrives.
        got = None
        deadline = time.monotonic() + 60
        i = 0
        while got is None:
            expect(time.monotonic() < deadline, "no record arrived from latest within 60 s")
            produce_all(p, positions_topic, [(None, f"late-{i}".encode(), None, None)])
            i += 1
            got = c.poll(1.0)
        expect(got.error() is None, f"error {got.error()}")
        expect(got.value().startswith(b"late-") and got.offset() >= 10, f"got {got.value()} at {got.offset()}")
    finally:
        c.close()


for codec in ("gzip", "snappy", "lz4", "zstd"):
    @check(f"compression {codec}: produce and consume")
    def _():
        topic = f"{prefix}-{codec}"
        warnings = CompressionWarnings()
        log = logging.getLogger(f"rdkafka-{codec}")
        log.addHandler(warnings)
        log.setLevel(logging.DEBUG)
        records = [(f"k{i}".encode(), (f"{codec} record {i} " * 8).encode(), [("codec", codec.encode())], None)
                   for i in range(1000)]
        produce_all(producer(acks="1", logger=log, **{"compression.type": codec, "linger.ms": 20, "debug": "msg"}), topic, records)
        expect(not warnings.lines, f"librdkafka did not compress: {warnings.lines[:2]}")
        expect(warnings.message_sets and all(m.endswith(f", {codec})") for m in warnings.message_sets),
               f"librdkafka's MessageSets are not all {codec}: {warnings.message_sets[:2]}")
        got = consume(topic, OFFSET_BEGINNING, len(records))
        expect_contiguous([m.offset() for m in got], 0, topic)
        expect([(m.key(), m.value()) for m in got] == [(k, v) for k, v, _, _ in records], "records differ")


@check("idempotent producer (InitProducerId, sequenced batches)")
def _():
    topic = f"{prefix}-idempotent"
    records = simple_records(500, "idem")
    produce_all(producer(**{"enable.idempotence": True, "acks": "all", "max.in.flight.requests.per.connection": 5}),
                topic, records)
    got = consume(topic, OFFSET_BEGINNING, len(records))
    expect([m.value() for m in got] == [v for _, v, _, _ in records], "idempotent producer: order or content differs")


finish("confluent-kafka-python")
