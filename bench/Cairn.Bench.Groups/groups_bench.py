"""Consumer-group and idempotent-producer load against a broker, with librdkafka (confluent-kafka-python).
Usage: groups_bench.py BOOTSTRAP MODE  (MODE: join | commit | produce)"""
import sys, time, threading
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

bootstrap, mode = sys.argv[1], sys.argv[2]

def ensure_topic(name, partitions):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    for f in admin.create_topics([NewTopic(name, partitions, 1)]).values():
        try:
            f.result()
        except Exception:
            pass

def join(members=10, partitions=10):
    ensure_topic("join-bench", partitions)
    group = "join-%d" % time.time_ns()
    assigned = [None] * members
    stop = threading.Event()
    def run(i):
        c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "session.timeout.ms": 10000,
                      "heartbeat.interval.ms": 500, "enable.auto.commit": False})
        def on_assign(consumer, parts):
            assigned[i] = len(parts)
        c.subscribe(["join-bench"], on_assign=on_assign)
        while not stop.is_set():
            c.poll(0.05)
        c.close()
    start = time.monotonic()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(members)]
    for t in threads:
        t.start()
    # The first rebalance is over when every member holds one partition (range assignor, 10 partitions).
    while not all(a == partitions // members for a in assigned):
        time.sleep(0.005)
    elapsed = time.monotonic() - start
    stop.set()
    for t in threads:
        t.join()
    print("JOIN members=%d seconds=%.3f" % (members, elapsed), flush=True)

def commit(n=3000):
    ensure_topic("commit-bench", 1)
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "commit-%d" % time.time_ns(), "enable.auto.commit": False})
    tp = [TopicPartition("commit-bench", 0, 0)]
    c.assign(tp)
    start = time.monotonic()
    for i in range(n):
        c.commit(offsets=[TopicPartition("commit-bench", 0, i + 1)], asynchronous=False)
    commit_rate = n / (time.monotonic() - start)
    start = time.monotonic()
    for i in range(n):
        c.committed(tp, timeout=10)
    fetch_rate = n / (time.monotonic() - start)
    c.close()
    print("COMMIT sync_commits_per_s=%.0f offset_fetches_per_s=%.0f" % (commit_rate, fetch_rate), flush=True)

def produce(n=300000, size=100):
    payload = b"x" * size
    for idempotent in (False, True, False, True):
        topic = "produce-bench-%s" % ("idem" if idempotent else "plain")
        p = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": idempotent, "acks": "all", "linger.ms": 5,
                      "queue.buffering.max.messages": 1000000})
        start = time.monotonic()
        for i in range(n):
            while True:
                try:
                    p.produce(topic, payload, partition=i % 4)
                    break
                except BufferError:
                    p.poll(0.01)
        p.flush(120)
        elapsed = time.monotonic() - start
        print("PRODUCE idempotence=%s records=%d seconds=%.2f records_per_s=%.0f MB_per_s=%.1f" % (
            idempotent, n, elapsed, n / elapsed, n * size / elapsed / 1e6), flush=True)

{"join": join, "commit": commit, "produce": produce}[mode]()
