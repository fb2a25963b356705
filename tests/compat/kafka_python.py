#!/usr/bin/python3
"""kafka-python 2.0.2 (Debian python3-kafka) against a broker.

usage: /usr/bin/python3 kafka_python.py BOOTSTRAP TOPIC_PREFIX

Every check uses its own topic. Ordering is asserted only for one producer writing one partition.
"""
import time

import kafka
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import ConfigResource, ConfigResourceType, NewTopic
from kafka.errors import TopicAlreadyExistsError

from checks import (args, big_value, check, digest, expect, expect_contiguous, expect_same_set, finish,
                    past_timestamps, wait_until)

bootstrap, prefix = args()
print(f"kafka-python {kafka.__version__}", flush=True)


def producer(**extra):
    conf = {"bootstrap_servers": bootstrap, "linger_ms": 5, "max_in_flight_requests_per_connection": 1,
            "request_timeout_ms": 60000}
    conf.update(extra)
    return KafkaProducer(**conf)


def produce_all(p, topic, records, partition=0):
    """records: (key, value, headers, timestamp_ms); raises on any delivery error."""
    futures = [p.send(topic, key=k, value=v, headers=h or [], partition=partition, timestamp_ms=ts)
               for k, v, h, ts in records]
    p.flush(60)
    for f in futures:
        f.get(timeout=60)
    p.close(10)


def new_consumer():
    return KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                         auto_offset_reset="earliest", request_timeout_ms=60000)


def end_offset(topic, partition=0):
    c = new_consumer()
    try:
        tp = TopicPartition(topic, partition)
        return c.end_offsets([tp])[tp]
    finally:
        c.close()


def consume(topic, start, count, partition=0, timeout=60.0):
    """start: an offset, or 'earliest'."""
    c = new_consumer()
    try:
        tp = TopicPartition(topic, partition)
        c.assign([tp])
        if start == "earliest":
            c.seek_to_beginning(tp)
        else:
            c.seek(tp, start)
        out = []
        deadline = time.monotonic() + timeout
        while len(out) < count:
            expect(time.monotonic() < deadline, f"consumed only {len(out)} of {count} records from {topic} within {timeout:.0f} s")
            for records in c.poll(timeout_ms=500).values():
                out.extend(records)
        return out
    finally:
        c.close()


def simple_records(n, tag):
    return [(f"k{i}".encode(), f"{tag}-{i}".encode(), [("h", f"hv{i}".encode())], None) for i in range(n)]


@check("metadata lists the broker")
def _():
    c = new_consumer()
    try:
        topics = c.topics()  # forces a Metadata round trip
        brokers = c._client.cluster.brokers()
        ports = [b.port for b in brokers]
        expect(int(bootstrap.rsplit(":", 1)[1]) in ports, f"bootstrap port not among brokers {ports}")
        expect(isinstance(topics, set), "topics() did not return a set")
    finally:
        c.close()


admin_topic = f"{prefix}-admin"


@check("admin create topics (3 partitions, retention.ms)")
def _():
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=60000)
    try:
        result = admin.create_topics([NewTopic(admin_topic, 3, 1, topic_configs={"retention.ms": "3600000"})])
        errors = [(t, code) for t, code, *_ in result.topic_errors if code != 0]
        expect(not errors, f"errors {errors}")
    finally:
        admin.close()
    c = new_consumer()
    try:
        parts = wait_until(lambda: c.partitions_for_topic(admin_topic), "the created topic's partitions")
        expect(sorted(parts) == [0, 1, 2], f"partitions {sorted(parts)}")
    finally:
        c.close()


@check("admin create topics rejects an existing topic")
def _():
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=60000)
    try:
        try:
            result = admin.create_topics([NewTopic(admin_topic, 1, 1)])
        except TopicAlreadyExistsError:
            return
        codes = [code for _, code, *_ in result.topic_errors]
        expect(codes == [TopicAlreadyExistsError.errno], f"error codes {codes}")
    finally:
        admin.close()


@check("admin describe configs")
def _():
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=60000)
    try:
        responses = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, admin_topic)])
        entries = {}
        for response in responses:
            for error_code, error_message, _, name, configs in response.resources:
                expect(error_code == 0, f"error {error_code} {error_message}")
                expect(name == admin_topic, f"resource {name}")
                for entry in configs:
                    entries[entry[0]] = entry[1]
        expect(entries.get("retention.ms") == "3600000", f"retention.ms = {entries.get('retention.ms')}")
        expect("cleanup.policy" in entries, f"no cleanup.policy among {sorted(entries)[:10]}")
    finally:
        admin.close()


@check("produce to and consume from partition 2")
def _():
    produce_all(producer(acks="all"), admin_topic, simple_records(20, "p2"), partition=2)
    got = consume(admin_topic, "earliest", 20, partition=2)
    expect([m.value for m in got] == [f"p2-{i}".encode() for i in range(20)], "partition 2 values differ")
    expect(all(m.partition == 2 for m in got), "record from another partition")


@check("admin delete topics")
def _():
    # A topic of its own that no producer knows, so nothing re-creates it by auto-creation.
    topic = f"{prefix}-delete"
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=60000)
    try:
        result = admin.create_topics([NewTopic(topic, 1, 1)])
        expect(all(code == 0 for _, code, *_ in result.topic_errors), f"create: {result.topic_errors}")
        result = admin.delete_topics([topic], timeout_ms=30000)
        errors = [(t, code) for t, code in result.topic_error_codes if code != 0]
        expect(not errors, f"errors {errors}")
    finally:
        admin.close()
    c = new_consumer()
    try:
        wait_until(lambda: topic not in c.topics(), "the topic to disappear from metadata")
    finally:
        c.close()


for acks in (0, 1, "all"):
    @check(f"produce acks={acks} with keys and headers, consume from earliest")
    def _():
        topic = f"{prefix}-acks-{acks}"
        records = simple_records(200, f"a{acks}")
        produce_all(producer(acks=acks), topic, records)
        # acks=0 records may still be in flight after flush: wait until the log end covers them.
        wait_until(lambda: end_offset(topic) >= len(records), f"{len(records)} records visible in {topic}")
        got = consume(topic, "earliest", len(records))
        expect_contiguous([m.offset for m in got], 0, topic)
        if acks != 0:  # one producer, one partition, one request in flight: order is kept
            expect([m.value for m in got] == [v for _, v, _, _ in records], "order differs from send order")
        expect_same_set([(m.key, m.value, tuple(m.headers)) for m in got],
                        [(k, v, tuple(h)) for k, v, h, _ in records], topic)


@check("null values, null keys and empty values")
def _():
    topic = f"{prefix}-nulls"
    produce_all(producer(acks="all"), topic, [(b"tombstone", None, None, None), (None, b"no-key", None, None),
                                               (b"empty", b"", None, None)])
    got = consume(topic, "earliest", 3)
    expect([(m.key, m.value) for m in got] == [(b"tombstone", None), (None, b"no-key"), (b"empty", b"")],
           f"got {[(m.key, m.value) for m in got]}")


@check("large batch: 10,000 records")
def _():
    topic = f"{prefix}-batch"
    records = [(None, f"r{i:05d}".encode(), None, None) for i in range(10_000)]
    produce_all(producer(acks=1, linger_ms=50, batch_size=256 * 1024), topic, records)
    got = consume(topic, "earliest", len(records))
    expect_contiguous([m.offset for m in got], 0, topic)
    expect_same_set([m.value for m in got], [v for _, v, _, _ in records], topic)


@check("a ~900 KB record")
def _():
    topic = f"{prefix}-big"
    value = big_value()
    produce_all(producer(acks="all"), topic, [(b"big", value, None, None)])
    got = consume(topic, "earliest", 1)
    expect(digest(got[0].value) == digest(value), f"value differs ({len(got[0].value)} bytes)")


positions_topic = f"{prefix}-positions"
stamps = past_timestamps(10)


@check("create-time timestamps round-trip")
def _():
    produce_all(producer(acks="all"), positions_topic, [(None, f"t{i}".encode(), None, ts) for i, ts in enumerate(stamps)])
    got = consume(positions_topic, "earliest", 10)
    expect([m.timestamp for m in got] == stamps, f"timestamps {[m.timestamp for m in got]}")


@check("offsets for times (ListOffsets by timestamp)")
def _():
    tp = TopicPartition(positions_topic, 0)
    c = new_consumer()
    try:
        first = c.offsets_for_times({tp: stamps[0]})[tp]
        expect(first is not None and first.offset == 0, f"first timestamp -> {first}")
        mid = c.offsets_for_times({tp: stamps[4] + 500})[tp]
        expect(mid is not None and mid.offset == 5 and mid.timestamp == stamps[5], f"t4+500 ms -> {mid}")
        after = c.offsets_for_times({tp: stamps[-1] + 1})[tp]
        expect(after is None, f"after the last timestamp -> {after}")
    finally:
        c.close()
    got = consume(positions_topic, mid.offset, 1)
    expect(got[0].offset == 5 and got[0].value == b"t5", f"consuming from 5 gave {got[0].offset}")


@check("beginning and end offsets")
def _():
    tp = TopicPartition(positions_topic, 0)
    c = new_consumer()
    try:
        expect(c.beginning_offsets([tp])[tp] == 0, "beginning offset")
        expect(c.end_offsets([tp])[tp] == 10, f"end offset {c.end_offsets([tp])[tp]}")
    finally:
        c.close()


@check("consume from an absolute offset and seek")
def _():
    tp = TopicPartition(positions_topic, 0)
    c = new_consumer()
    try:
        c.assign([tp])
        c.seek(tp, 3)
        first = wait_until(lambda: c.poll(timeout_ms=500, max_records=1).get(tp), "a record from offset 3")[0]
        expect(first.offset == 3, f"first record at {first.offset}")
        c.seek(tp, 8)
        after = wait_until(lambda: c.poll(timeout_ms=500, max_records=1).get(tp), "a record after seek")[0]
        expect(after.offset == 8 and after.value == b"t8", f"after seek got offset {after.offset}")
        c.seek(tp, 1)
        back = wait_until(lambda: c.poll(timeout_ms=500, max_records=1).get(tp), "a record after seeking back")[0]
        expect(back.offset == 1, f"after seeking back got offset {back.offset}")
    finally:
        c.close()


@check("consume from latest sees only new records")
def _():
    tp = TopicPartition(positions_topic, 0)
    c = new_consumer()
    try:
        c.assign([tp])
        c.seek_to_end(tp)
        end = c.position(tp)  # resolves the end offset now (ListOffsets latest)
        expect(end >= 10, f"position at end is {end}")
        produce_all(producer(acks="all"), positions_topic, [(None, b"late", None, None)])
        got = wait_until(lambda: c.poll(timeout_ms=500).get(tp), "the new record")
        expect(got[0].value == b"late" and got[0].offset == end, f"got {got[0].value} at {got[0].offset}")
    finally:
        c.close()


for codec in ("gzip", "snappy", "lz4", "zstd"):
    @check(f"compression {codec}: produce and consume")
    def _():
        topic = f"{prefix}-{codec}"
        records = [(f"k{i}".encode(), (f"{codec} record {i} " * 8).encode(), [("codec", codec.encode())], None)
                   for i in range(1000)]
        produce_all(producer(acks=1, compression_type=codec, linger_ms=20), topic, records)
        got = consume(topic, "earliest", len(records))
        expect_contiguous([m.offset for m in got], 0, topic)
        expect([(m.key, m.value) for m in got] == [(k, v) for k, v, _, _ in records], "records differ")


finish("kafka-python")
