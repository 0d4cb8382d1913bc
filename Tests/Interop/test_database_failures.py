"""What clients see when PostgreSQL is shared by replicas, and when it goes away.

Most tests make a database of their own next to the interop one (same server, same
credentials), so that dropping it or racing on it touches nothing else; the tests that stop
PostgreSQL itself run a cluster of their own (`Cluster`).
"""

import concurrent.futures
import datetime
import glob
import json
import os
import shutil
import subprocess
import tempfile
import threading
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
from server import Server, free_port
from test_calendly_webhooks import delivery, invitee, make_expert, new_invitee_uri, next_week, post

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


def open_expert_and_slot(experts, name):
    """A new expert open around the clock, and a free hour three days ahead."""
    expert = pb.Expert(name=name, email=f"{uuid.uuid4().hex}@x.example", timezone="UTC")
    for day in range(1, 8):
        expert.weekly_hours.add(day=day, start_time="00:00", end_time="24:00")
    expert = experts.CreateExpert(pb.CreateExpertRequest(expert=expert), timeout=TIMEOUT)
    start = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0) \
        + datetime.timedelta(days=3)
    return expert, start


def test_sixteen_concurrent_bookings_of_one_slot_on_two_replicas_book_it_once(own_database):
    _, url = own_database
    replicas = [Server(database_url=url), Server(database_url=url)]
    try:
        raw_channels = [grpc.insecure_channel(replica.address) for replica in replicas]
        channels = [with_token(channel) for channel in raw_channels]
        expert, start = open_expert_and_slot(rpc.ExpertServiceStub(channels[0]), "Race")

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


# --- a PostgreSQL of the test's own: restarted under load, and a multi-host URL ----------------

class Cluster:
    """A throwaway PostgreSQL cluster (initdb in a temporary directory, as the `postgres` user when
    run as root, on a free loopback port), so that stopping it touches no other test; or, given a
    `primary`, a streaming standby of it (pg_basebackup -R), which `promote` makes the primary."""

    def __init__(self, primary=None):
        bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda path: int(path.split("/")[-2]))
        if not bindirs:
            pytest.fail("PostgreSQL's server binaries are not installed (tools/setup installs them)", pytrace=False)
        self.bin = bindirs[-1]
        self.root = tempfile.mkdtemp(prefix="cb-pg-")
        self.data = os.path.join(self.root, "data")
        self.port = free_port()
        if os.getuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        if primary is not None:
            self.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres", "-D", self.data,
                     "-R", "-X", "stream", "--checkpoint=fast")
            self.start()
            return
        self.run("initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        self.start()
        subprocess.run(["psql", "-X", "-q", f"postgresql://postgres@127.0.0.1:{self.port}/postgres",
                        "-c", "CREATE DATABASE callbooking"], check=True, capture_output=True)

    @property
    def url(self):
        return f"postgresql://postgres@127.0.0.1:{self.port}/callbooking"

    def run(self, tool, *arguments):
        command = [os.path.join(self.bin, tool), *arguments]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd="/", timeout=60)

    def start(self):
        self.run("pg_ctl", "-D", self.data, "-l", os.path.join(self.root, "log"), "-w", "-t", "30", "-o",
                 f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off", "start")

    def promote(self):
        self.run("pg_ctl", "-D", self.data, "-w", "promote")

    def query(self, sql):
        """`sql`'s output, unaligned. The SQL goes through stdin: a list of every id a run made can
        outgrow the 128 KiB that one command-line argument may have."""
        return subprocess.run(["psql", "-X", "-t", "-A", "-v", "ON_ERROR_STOP=1", self.url], input=sql, check=True,
                              capture_output=True, text=True).stdout.strip()

    def stop(self):
        self.run("pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def destroy(self):
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster():
    process = Cluster()
    yield process
    process.destroy()


def test_a_restarted_database_fails_fast_acknowledges_nothing_while_down_and_recovers(cluster):
    replica = Server(database_url=cluster.url)
    writing = threading.Event()
    try:
        experts = [make_expert(replica) for _ in range(4)]
        with grpc.insecure_channel(replica.address) as channel:
            calls = rpc.CallServiceStub(with_token(channel))
            health = health_pb2_grpc.HealthStub(channel)
            acknowledged, refused = [], []

            def deliver(index):
                uri = new_invitee_uri()
                start = next_week(hour=5) + datetime.timedelta(minutes=30 * (index // 4))
                status, answer = post(replica, delivery("invitee.created", invitee(uri, start, hosts=[experts[index % 4][1]])))
                (acknowledged if status == 200 else refused).append((uri, start, index, status, answer))
                return status

            # Bookings in flight all along, two at a time: each is OK or UNAVAILABLE, and fast.
            expert, first_slot = open_expert_and_slot(rpc.ExpertServiceStub(with_token(channel)), "Restart")
            slots = iter(range(10_000))
            bookings = []

            def write():
                while not writing.is_set():
                    begin = first_slot + datetime.timedelta(minutes=30 * next(slots))
                    began = time.monotonic()
                    try:
                        call = calls.CreateCall(pb.CreateCallRequest(
                            expert_id=expert.id, topic="restart", scheduled_start=timestamp(begin),
                            scheduled_end=timestamp(begin + datetime.timedelta(minutes=30))), timeout=TIMEOUT)
                        bookings.append((grpc.StatusCode.OK, call.id, time.monotonic() - began))
                    except grpc.RpcError as error:
                        bookings.append((error.code(), None, time.monotonic() - began))
                        time.sleep(0.1)

            writers = [threading.Thread(target=write, daemon=True) for _ in range(2)]
            for writer in writers:
                writer.start()
            for index in range(5):
                assert deliver(index) == 200
            cluster.stop()
            down_at = time.monotonic()
            # While it is down: reads fail fast with UNAVAILABLE, webhooks are not acknowledged.
            codes = []
            while time.monotonic() - down_at < 4:
                began = time.monotonic()
                try:
                    calls.ListCalls(pb.ListCallsRequest(), timeout=TIMEOUT)
                    codes.append(grpc.StatusCode.OK)
                except grpc.RpcError as error:
                    codes.append(error.code())
                    assert time.monotonic() - began < 8, "a stopped database must fail fast, not hang"
                assert deliver(len(acknowledged) + len(refused)) == 503, (acknowledged + refused)[-1]
                # Paced, so that a fast machine does not refuse thousands that are then all retried.
                time.sleep(0.05)
            assert set(codes) == {grpc.StatusCode.UNAVAILABLE}, codes
            assert len(acknowledged) == 5 and refused
            cluster.start()
            # It recovers by itself: health SERVING again, reads answer, webhooks are applied.
            deadline = time.monotonic() + 20
            while health.Check(health_pb2.HealthCheckRequest(), timeout=TIMEOUT).status != \
                    health_pb2.HealthCheckResponse.SERVING:
                assert time.monotonic() < deadline, "health did not come back after PostgreSQL did"
                time.sleep(0.2)
            calls.ListCalls(pb.ListCallsRequest(), timeout=TIMEOUT)
            recovered = len(bookings)
            wait_until = time.monotonic() + 10
            while not [entry for entry in bookings[recovered:] if entry[0] == grpc.StatusCode.OK]:
                assert time.monotonic() < wait_until, bookings[recovered:]
                time.sleep(0.1)
            writing.set()
            for writer in writers:
                writer.join(timeout=TIMEOUT + 5)
            assert {code for code, _, _ in bookings} == {grpc.StatusCode.OK, grpc.StatusCode.UNAVAILABLE}, bookings
            assert max(seconds for code, _, seconds in bookings if code != grpc.StatusCode.OK) < 8, bookings
            # The provider retries what was refused; every delivery is then acknowledged once.
            for uri, start, index, _, _ in list(refused):
                status, answer = post(replica, delivery("invitee.created", invitee(uri, start, hosts=[experts[index % 4][1]])))
                assert status == 200 and answer["result"] in ("applied", "duplicate"), answer
        uris = [entry[0] for entry in acknowledged + refused]
        listed = ",".join(f"'{uri}'" for uri in uris)
        assert cluster.query(f"SELECT count(*) FROM calls.calls WHERE calendly_invitee_uri IN ({listed})") \
            == str(len(uris))
        # Every booking answered OK is there (an UNAVAILABLE one may or may not have committed).
        booked = [call_id for code, call_id, _ in bookings if code == grpc.StatusCode.OK]
        listed = ",".join(f"'{call_id}'" for call_id in booked)
        assert cluster.query(f"SELECT count(*) FROM calls.calls WHERE id IN ({listed})") == str(len(booked))
    finally:
        writing.set()
        replica.stop()
        replica.close()


def test_a_multi_host_url_connects_to_the_host_that_answers(cluster):
    """libpq's multi-host syntax, as an HA setup lists its nodes: the first host is down, the
    second is the read-write primary."""
    url = (f"postgresql://postgres@127.0.0.1:{free_port()},127.0.0.1:{cluster.port}/callbooking"
           "?target_session_attrs=read-write&connect_timeout=2")
    replica = Server(database_url=url)
    try:
        with grpc.insecure_channel(replica.address) as channel:
            rpc.ExpertServiceStub(with_token(channel)).ListExperts(pb.ListExpertsRequest(), timeout=TIMEOUT)
        with urllib.request.urlopen(replica.base_url + "/api/health", timeout=TIMEOUT) as response:
            assert json.loads(response.read()) == {"status": "ok", "database": "up"}
    finally:
        replica.stop()
        replica.close()


def test_a_multi_host_url_follows_the_promoted_standby_after_a_failover():
    """A primary and its streaming standby, both in the URL: while the standby is one,
    target_session_attrs=read-write skips it; once the primary is gone and the standby promoted,
    the server's next connections find it, with the bookings acknowledged before the failover."""
    primary = Cluster()
    standby = None
    replica = None
    try:
        standby = Cluster(primary=primary)
        url = (f"postgresql://postgres@127.0.0.1:{primary.port},127.0.0.1:{standby.port}/callbooking"
               "?target_session_attrs=read-write&connect_timeout=2")
        replica = Server(database_url=url)
        with grpc.insecure_channel(replica.address) as channel:
            calls = rpc.CallServiceStub(with_token(channel))
            expert, start = open_expert_and_slot(rpc.ExpertServiceStub(with_token(channel)), "Failover")

            def book(offset_hours):
                begin = start + datetime.timedelta(hours=offset_hours)
                return calls.CreateCall(pb.CreateCallRequest(
                    expert_id=expert.id, topic="failover", scheduled_start=timestamp(begin),
                    scheduled_end=timestamp(begin + datetime.timedelta(minutes=30))), timeout=TIMEOUT)

            before = book(0)
            deadline = time.monotonic() + 10
            while standby.query(f"SELECT count(*) FROM calls.calls WHERE id = '{before.id}'") != "1":
                assert time.monotonic() < deadline, "the standby did not replay the booking"
                time.sleep(0.1)
            primary.stop()
            standby.promote()
            codes = []
            deadline = time.monotonic() + 20
            while True:
                try:
                    assert calls.GetCall(pb.GetCallRequest(id=before.id), timeout=TIMEOUT).id == before.id
                    after = book(1)
                    break
                except grpc.RpcError as error:
                    codes.append(error.code())
                    assert time.monotonic() < deadline, f"no recovery on the promoted standby: {codes}"
                    time.sleep(0.2)
            assert set(codes) <= {grpc.StatusCode.UNAVAILABLE}, codes
        assert standby.query(f"SELECT count(*) FROM calls.calls WHERE id IN ('{before.id}', '{after.id}')") == "2"
        replica.stop()
    finally:
        if replica:
            replica.close()
        if standby:
            standby.destroy()
        primary.destroy()
