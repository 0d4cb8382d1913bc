"""The figures of README "Capacity on paper" that tools/bench does not measure, against the
binary in $CALL_BOOKING_BIN (the release build, for numbers worth writing down), each server on a
fresh database next to $INTEROP_DATABASE_URL's:

    python3 Tests/Interop/capacity.py replicas   # GetCall req/s: 3 replicas and 1 behind nginx, 1 direct
    python3 Tests/Interop/capacity.py watchers   # RSS with 1,000 WatchCall streams open on one server

Loopback only; every run is bounded (CAPACITY_SECONDS, 10 by default)."""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request

import protos

protos.generate()

from auth import ADMIN_TOKEN  # noqa: E402 (the stubs above come first)
from databases import fresh_database  # noqa: E402
from nginx_proxy import Nginx, h2load_grpc  # noqa: E402
from server import Server  # noqa: E402
from test_calendly_webhooks import book_directly, make_expert, next_week, rest  # noqa: E402

SECONDS = int(os.environ.get("CAPACITY_SECONDS", "10"))
GET_CALL = "/loop.callbooking.v1.CallService/GetCall"
WATCH_CALL = "/loop.callbooking.v1.CallService/WatchCall"
WATCHERS = 1000


def get_call_request(call_id):
    """GetCallRequest{id}, the body of GetCall and WatchCall."""
    return b"\x0a" + bytes([len(call_id)]) + call_id.encode()


def memory_mib(pid, field):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} missing from /proc/{pid}/status")


def stop(servers):
    for server in servers:
        server.process.terminate()
        server.process.wait()
        server.close()


def replicas(url):
    environment = {"MAX_CONNECTIONS_PER_PEER": "10000", "LOG_LEVEL": "error"}
    servers = [Server(database_url=url, extra_environment=environment) for _ in range(3)]
    try:
        expert, _ = make_expert(servers[0])
        message = get_call_request(book_directly(servers[0], expert["id"], next_week(hour=9))["id"])
        print(f"GetCall, h2load -c 16 -m 8 -t 1, {SECONDS} s each")
        for label, ports in (("3 replicas behind nginx", [server.port for server in servers]),
                             ("1 replica behind nginx", [servers[0].port])):
            proxy = Nginx(ports)
            try:
                figures = h2load_grpc(proxy.grpc_address, GET_CALL, message, ADMIN_TOKEN, SECONDS, clients=16, streams=8)
            finally:
                proxy.close()
            print(f"{label}: {figures['rps']:.0f} req/s, {figures['failed']} failed, {figures['5xx']} 5xx")
        figures = h2load_grpc(servers[0].address, GET_CALL, message, ADMIN_TOKEN, SECONDS, clients=16, streams=8)
        print(f"1 replica, no proxy: {figures['rps']:.0f} req/s, {figures['failed']} failed, {figures['5xx']} 5xx")
    finally:
        stop(servers)


def watchers(url):
    environment = {"LOG_LEVEL": "error", "MAX_CONNECTIONS_PER_PEER": "10000",
                   "MAX_WATCH_CALL_STREAMS": str(2 * WATCHERS), "MAX_WATCH_CALL_STREAMS_PER_CALLER": str(WATCHERS)}
    server = Server(database_url=url, extra_environment=environment)
    try:
        expert, _ = make_expert(server)
        call_id = book_directly(server, expert["id"], next_week(hour=9))["id"]
        idle = memory_mib(server.process.pid, "VmRSS")
        message = get_call_request(call_id)
        with tempfile.NamedTemporaryFile(suffix=".grpc") as body:
            body.write(b"\x00" + len(message).to_bytes(4, "big") + message)
            body.flush()
            load = subprocess.Popen(
                ["h2load", "-D", str(SECONDS), "-c", str(WATCHERS // 10), "-m", "10", "-t", "1", "-d", body.name,
                 "-H", "content-type: application/grpc", "-H", "te: trailers",
                 "-H", f"authorization: Bearer {ADMIN_TOKEN}", f"http://{server.address}{WATCH_CALL}"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            time.sleep(SECONDS / 2)
            metrics = urllib.request.urlopen(server.base_url + "/metrics", timeout=10).read().decode()
            gauge = next(line for line in metrics.splitlines() if line.startswith("call_watch_streams "))
            held = memory_mib(server.process.pid, "VmRSS")
            # The final state reaches every watcher through the replica's one LISTEN connection,
            # and each stream ends with it.
            status, _ = rest(server, "POST", f"/api/v1/calls/{call_id}/cancel", {"reason": "fan-out"})
            output, _ = load.communicate(timeout=SECONDS + 60)
        print(f"{gauge}; RSS idle {idle:.1f} MiB, with the streams {held:.1f} MiB "
              f"({(held - idle) * 1024 / WATCHERS:.0f} KiB a watcher); cancel answered {status}")
        print("\n".join(line.strip() for line in output.splitlines() if line.strip().startswith(("requests:", "status codes"))))
    finally:
        stop([server])


if __name__ == "__main__":
    measures = {"replicas": replicas, "watchers": watchers}
    if len(sys.argv) != 2 or sys.argv[1] not in measures:
        sys.exit(f"usage: {sys.argv[0]} replicas|watchers")
    with fresh_database("cb_capacity") as database_url:
        measures[sys.argv[1]](database_url)
