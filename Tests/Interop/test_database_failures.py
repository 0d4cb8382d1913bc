"""What clients see when PostgreSQL is shared by replicas, and when it goes away.

Each test makes a database of its own next to the interop one (same server, same
credentials), so that dropping it or racing on it touches nothing else.
"""

import concurrent.futures
import datetime
import json
import os
import subprocess
import time
import urllib.error
import urllib.request
import uuid

import grpc
import pytest
from google.protobuf import timestamp_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc

from auth import with_token
from loop.callbooking.v1 import call_booking_pb2 as pb, call_booking_pb2_grpc as rpc
from server import Server

TIMEOUT = 10


def psql(sql):
    admin = os.environ["INTEROP_DATABASE_URL"]
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", admin, "-c", sql], check=True,
                   capture_output=True, text=True)


@pytest.fixture
def own_database():
    name = "cb_interop_" + uuid.uuid4().hex[:12]
    psql(f"CREATE DATABASE {name}")
    yield name, os.environ["INTEROP_DATABASE_URL"].rsplit("/", 1)[0] + "/" + name
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def timestamp(moment):
    value = timestamp_pb2.Timestamp()
    value.FromDatetime(moment)
    return value


def test_sixteen_concurrent_bookings_of_one_slot_on_two_replicas_book_it_once(own_database):
    _, url = own_database
    replicas = [Server(database_url=url), Server(database_url=url)]
    try:
        raw_channels = [grpc.insecure_channel(replica.address) for replica in replicas]
        channels = [with_token(channel) for channel in raw_channels]
        experts = rpc.ExpertServiceStub(channels[0])
        expert = pb.Expert(name="Race", email=f"{uuid.uuid4().hex}@x.example", timezone="UTC")
        for day in range(1, 8):
            expert.weekly_hours.add(day=day, start_time="00:00", end_time="24:00")
        expert = experts.CreateExpert(pb.CreateExpertRequest(expert=expert), timeout=TIMEOUT)
        start = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0) \
            + datetime.timedelta(days=3)

        def book(index):
            stub = rpc.CallServiceStub(channels[index % 2])
            try:
                stub.CreateCall(pb.CreateCallRequest(
                    expert_id=expert.id, topic=f"race {index}", scheduled_start=timestamp(start),
                    scheduled_end=timestamp(start + datetime.timedelta(minutes=30))), timeout=TIMEOUT)
                return grpc.StatusCode.OK
            except grpc.RpcError as error:
                return error.code()

        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            outcomes = list(pool.map(book, range(16)))
        assert outcomes.count(grpc.StatusCode.OK) == 1, outcomes
        assert outcomes.count(grpc.StatusCode.ALREADY_EXISTS) == 15, outcomes
        for channel in raw_channels:
            channel.close()
    finally:
        for replica in replicas:
            replica.stop()
            replica.close()


def test_a_lost_database_is_unavailable_fast_and_health_degrades(own_database):
    name, url = own_database
    replica = Server(database_url=url)
    try:
        with grpc.insecure_channel(replica.address) as channel:
            experts = rpc.ExpertServiceStub(with_token(channel))
            experts.ListExperts(pb.ListExpertsRequest(), timeout=TIMEOUT)
            psql(f"DROP DATABASE {name} WITH (FORCE)")
            began = time.monotonic()
            with pytest.raises(grpc.RpcError) as raised:
                experts.ListExperts(pb.ListExpertsRequest(), timeout=TIMEOUT)
            assert raised.value.code() == grpc.StatusCode.UNAVAILABLE, raised.value.details()
            assert time.monotonic() - began < 8, "a lost database must fail fast, not hang"

            health = health_pb2_grpc.HealthStub(channel)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                status = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=TIMEOUT).status
                if status == health_pb2.HealthCheckResponse.NOT_SERVING:
                    break
                time.sleep(0.2)
            assert status == health_pb2.HealthCheckResponse.NOT_SERVING
        try:
            urllib.request.urlopen(replica.base_url + "/api/health", timeout=TIMEOUT)
            pytest.fail("/api/health answered 200 with the database gone")
        except urllib.error.HTTPError as error:
            assert error.code == 503
            assert json.loads(error.read()) == {"status": "degraded", "database": "down"}
    finally:
        replica.stop()
        replica.close()
