"""Cross-check helper: prints request frames (size prefix + header + body, hex) encoded by kafka-python 2.0.2's
own protocol classes, one per line as "<api_key> <api_version> <hex>"."""
import binascii
import struct

from kafka.protocol.admin import ApiVersionRequest, CreateTopicsRequest, DescribeConfigsRequest
from kafka.protocol.api import RequestHeader
from kafka.protocol.commit import GroupCoordinatorRequest, OffsetCommitRequest, OffsetFetchRequest
from kafka.protocol.fetch import FetchRequest
from kafka.protocol.group import HeartbeatRequest, JoinGroupRequest
from kafka.protocol.metadata import MetadataRequest
from kafka.protocol.offset import OffsetRequest
from kafka.protocol.produce import ProduceRequest

batch = bytes(range(80))
requests = [
    ApiVersionRequest[0](),
    MetadataRequest[0](topics=[]),
    MetadataRequest[1](topics=["a", "topic-b"]),
    MetadataRequest[1](topics=None),
    MetadataRequest[4](topics=["t"], allow_auto_topic_creation=True),
    ProduceRequest[7](transactional_id=None, required_acks=-1, timeout=30000, topics=[("t", [(0, batch), (1, batch)])]),
    FetchRequest[4](replica_id=-1, max_wait_time=500, min_bytes=1, max_bytes=52428800, isolation_level=0,
                    topics=[("t", [(0, 5, 1048576), (1, 0, 1048576)])]),
    OffsetRequest[1](replica_id=-1, topics=[("t", [(0, -1), (1, -2)])]),
    GroupCoordinatorRequest[0]("my-group"),
    JoinGroupRequest[2](group="g", session_timeout=10000, rebalance_timeout=300000, member_id="", protocol_type="consumer",
                        group_protocols=[("range", b"\x00\x01meta")]),
    HeartbeatRequest[1](group="g", generation_id=3, member_id="m-1"),
    OffsetCommitRequest[2](consumer_group="g", consumer_group_generation_id=-1, consumer_id="", retention_time=-1,
                           topics=[("t", [(0, 42, "meta")])]),
    OffsetFetchRequest[1](consumer_group="g", topics=[("t", [0, 1])]),
    CreateTopicsRequest[3](create_topic_requests=[("new", 3, 1, [], [("retention.ms", "1000")])], timeout=5000, validate_only=False),
    DescribeConfigsRequest[2](resources=[(2, "t", None)], include_synonyms=False),
]
for i, request in enumerate(requests):
    header = RequestHeader(request, correlation_id=i + 1, client_id="kafka-python")
    body = header.encode() + request.encode()
    print(request.API_KEY, request.API_VERSION, binascii.hexlify(struct.pack(">i", len(body)) + body).decode())
