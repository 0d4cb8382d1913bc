"""TLS on the one port (TLS_CERT_FILE, TLS_KEY_FILE) as clients no one here wrote see it:
grpcio's secure_channel and curl trusting a throwaway CA made with the openssl command, ALPN
h2 and http/1.1, a certificate renewed on SIGHUP while an open connection keeps going, the
settings refused at start, and clients that do not speak TLS or stall in the handshake.
"""

import contextlib
import os
import pathlib
import socket
import ssl
import subprocess
import tempfile
import time
import uuid

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc
from loop.callbooking.v1 import call_booking_pb2 as pb, call_booking_pb2_grpc as rpc

from abuse import PREFACE, metric, scrape, wait_until
from auth import SERVER_ENVIRONMENT, with_token
from server import HOST, Server, binary_path, free_port

TIMEOUT = 10
HEADER_TIMEOUT = 2  # HEADER_TIMEOUT_SECONDS of the stalling tests
# How late a deadline may be enforced on this loaded 2-core machine.
MARGIN = 2


def openssl(directory, *arguments):
    subprocess.run(["openssl", *arguments], cwd=directory, check=True, capture_output=True)


class ThrowawayCA:
    """A CA and the server certificates it signs (EC P-256, valid two days), in a directory."""

    def __init__(self, directory):
        self.directory = pathlib.Path(directory)
        self.cert = self.directory / "ca.pem"
        openssl(self.directory, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-days", "2", "-subj", "/CN=call-booking test CA", "-keyout", "ca.key", "-out", "ca.pem")

    def issue(self, name, common_name="localhost"):
        """`<name>.pem` and `<name>.key`: a certificate for localhost and 127.0.0.1."""
        openssl(self.directory, "req", "-x509", "-CA", "ca.pem", "-CAkey", "ca.key", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", f"/CN={common_name}",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-addext", "basicConstraints=critical,CA:FALSE", "-addext", "extendedKeyUsage=serverAuth",
                "-keyout", f"{name}.key", "-out", f"{name}.pem")
        return self.directory / f"{name}.pem", self.directory / f"{name}.key"


@pytest.fixture(scope="module")
def ca():
    with tempfile.TemporaryDirectory() as directory:
        yield ThrowawayCA(directory)


@contextlib.contextmanager
def tls_server(ca, name, **settings):
    """A call-booking process serving TLS with a fresh certificate of `ca`'s; it must exit 0 on
    SIGTERM afterwards, however it was treated."""
    cert, key = ca.issue(name)
    environment = {"TLS_CERT_FILE": str(cert), "TLS_KEY_FILE": str(key)}
    environment.update({setting: str(value) for setting, value in settings.items()})
    server = Server(grace_seconds=2, log_level="debug", extra_environment=environment, ca_file=str(ca.cert))
    server.cert, server.key = cert, key
    try:
        yield server
        server.stop()
    finally:
        server.close()


@pytest.fixture(scope="module")
def server(ca):
    with tls_server(ca, "module-server") as running:
        yield running


def client_context(ca, alpn=None):
    context = ssl.create_default_context(cafile=str(ca.cert))
    if alpn:
        context.set_alpn_protocols(alpn)
    return context


def tls_socket(server, ca, alpn=None):
    """A TLS connection whose handshake is done."""
    raw = socket.create_connection((HOST, server.port), timeout=TIMEOUT)
    return client_context(ca, alpn).wrap_socket(raw, server_hostname=HOST)


def common_name(connection):
    subject = dict(pair[0] for pair in connection.getpeercert()["subject"])
    return subject["commonName"]


def closed_within(sock, seconds):
    """How long until the server closed `sock` (EOF or reset), reading and dropping what it
    sends; None if it stayed open for `seconds`."""
    started = time.monotonic()
    sock.settimeout(0.2)
    while time.monotonic() - started < seconds:
        try:
            if not sock.recv(65536):
                return time.monotonic() - started
        except (socket.timeout, ssl.SSLWantReadError):
            continue
        except (ConnectionResetError, ssl.SSLError, OSError):
            return time.monotonic() - started
    return None


def curl(server, ca, *arguments):
    """(HTTP version, body) of `GET /api/health` through curl over TLS."""
    completed = subprocess.run(
        ["curl", "-sS", "--max-time", str(TIMEOUT), "--cacert", str(ca.cert), "-w", "\n%{http_version}", *arguments,
         f"https://{HOST}:{server.port}/api/health"],
        capture_output=True, text=True)
    assert completed.returncode == 0, completed.stderr
    body, version = completed.stdout.rsplit("\n", 1)
    return version, body


# --- clients that speak TLS -------------------------------------------------------------------


def test_grpcio_over_a_secure_channel_checks_health_and_calls_an_authenticated_rpc(server, ca):
    credentials = grpc.ssl_channel_credentials(root_certificates=ca.cert.read_bytes())
    with grpc.secure_channel(server.address, credentials) as channel:
        health = health_pb2_grpc.HealthStub(channel)
        response = health.Check(health_pb2.HealthCheckRequest(service=""), timeout=TIMEOUT)
        assert response.status == health_pb2.HealthCheckResponse.SERVING

        with pytest.raises(grpc.RpcError) as anonymous:
            rpc.ExpertServiceStub(channel).GetExpert(pb.GetExpertRequest(id=str(uuid.uuid4())), timeout=TIMEOUT)
        assert anonymous.value.code() == grpc.StatusCode.UNAUTHENTICATED

        experts = rpc.ExpertServiceStub(with_token(channel))
        with pytest.raises(grpc.RpcError) as unknown:
            experts.GetExpert(pb.GetExpertRequest(id=str(uuid.uuid4())), timeout=TIMEOUT)
        assert unknown.value.code() == grpc.StatusCode.NOT_FOUND, unknown.value.details()


def test_curl_gets_http2_through_alpn_and_http1_when_it_asks_for_it(server, ca):
    version, body = curl(server, ca, "--http2")
    assert (version, body) == ("2", '{"status":"ok","database":"up"}')
    version, body = curl(server, ca, "--http1.1")
    assert (version, body) == ("1.1", '{"status":"ok","database":"up"}')


def test_the_server_offers_h2_first_and_http1_to_a_client_without_h2(server, ca):
    with tls_socket(server, ca, alpn=["http/1.1", "h2"]) as connection:
        assert connection.selected_alpn_protocol() == "h2"
        assert connection.version() in ("TLSv1.2", "TLSv1.3")
    with tls_socket(server, ca, alpn=["http/1.1"]) as connection:
        assert connection.selected_alpn_protocol() == "http/1.1"
        connection.sendall(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 200 OK\r\n"), answer


def test_a_client_that_chose_h2_must_send_the_http2_preface(server, ca):
    with tls_socket(server, ca, alpn=["h2"]) as connection:
        connection.sendall(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert closed_within(connection, MARGIN) is not None


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # TLS 1.0 and 1.1, on purpose
def test_tls_below_1_2_is_refused(server, ca):
    context = client_context(ca)
    context.minimum_version = ssl.TLSVersion.TLSv1
    context.maximum_version = ssl.TLSVersion.TLSv1_1
    context.set_ciphers("ALL:@SECLEVEL=0")
    with pytest.raises((ssl.SSLError, ConnectionResetError)):
        with socket.create_connection((HOST, server.port), timeout=TIMEOUT) as raw:
            context.wrap_socket(raw, server_hostname=HOST)


# --- certificate renewal ------------------------------------------------------------------------


def test_sighup_serves_a_renewed_certificate_to_new_connections_while_open_ones_continue(ca):
    with tls_server(ca, "before-reload") as running:
        opened_before = running.http_connection(timeout=TIMEOUT)
        opened_before.request("GET", "/api/health")
        assert opened_before.getresponse().read() == b'{"status":"ok","database":"up"}'
        sock = opened_before.sock
        assert common_name(sock) == "localhost"

        renewed_cert, renewed_key = ca.issue("after-reload", common_name="renewed.localhost")
        os.replace(renewed_cert, running.cert)
        os.replace(renewed_key, running.key)
        running.process.send_signal(1)  # SIGHUP

        def renewed_on_a_new_connection():
            with tls_socket(running, ca) as connection:
                return common_name(connection) == "renewed.localhost"
        wait_until(renewed_on_a_new_connection, "a new connection gets the renewed certificate", timeout=TIMEOUT)

        opened_before.request("GET", "/api/health")
        assert opened_before.getresponse().read() == b'{"status":"ok","database":"up"}'
        assert opened_before.sock is sock, "the connection opened before the reload was dropped"
        assert common_name(sock) == "localhost"
        opened_before.close()

        # Files that do not load leave the renewed certificate in use.
        running.cert.write_text("not a certificate")
        running.process.send_signal(1)
        wait_until(lambda: "kept the current TLS certificate" in running.stderr_tail(100_000),
                   "the failed reload is logged", timeout=TIMEOUT)
        with tls_socket(running, ca) as connection:
            assert common_name(connection) == "renewed.localhost"


# --- settings refused at start --------------------------------------------------------------------


def start_with(settings):
    """(exit code, stderr) of call-booking started with these TLS settings; it must not serve."""
    environment = dict(os.environ, PORT=str(free_port()), HOST=HOST, **SERVER_ENVIRONMENT,
                       DATABASE_URL=os.environ.get("INTEROP_DATABASE_URL", "postgresql://localhost/unused"))
    environment.pop("TLS_CERT_FILE", None)
    environment.pop("TLS_KEY_FILE", None)
    environment.update(settings)
    completed = subprocess.run([str(binary_path())], env=environment, capture_output=True, text=True,
                               timeout=30, stdin=subprocess.DEVNULL)
    return completed.returncode, completed.stderr


def test_one_setting_without_the_other_stops_the_start_naming_the_missing_one(ca):
    cert, key = ca.issue("half-configured")
    code, stderr = start_with({"TLS_CERT_FILE": str(cert)})
    assert code != 0
    assert "TLS_KEY_FILE: must be set when TLS_CERT_FILE is" in stderr, stderr
    code, stderr = start_with({"TLS_KEY_FILE": str(key)})
    assert code != 0
    assert "TLS_CERT_FILE: must be set when TLS_KEY_FILE is" in stderr, stderr


def test_unreadable_or_mismatched_files_stop_the_start(ca):
    cert, key = ca.issue("unreadable")
    _, other_key = ca.issue("other")
    code, stderr = start_with({"TLS_CERT_FILE": str(cert) + ".missing", "TLS_KEY_FILE": str(key)})
    assert code != 0
    assert "TLS_CERT_FILE: cannot read" in stderr, stderr
    code, stderr = start_with({"TLS_CERT_FILE": str(cert), "TLS_KEY_FILE": str(other_key)})
    assert code != 0
    assert "is not the certificate's" in stderr, stderr


# --- clients that do not speak TLS ----------------------------------------------------------------


@pytest.mark.parametrize("first_bytes", [
    b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n",
    PREFACE,
    bytes([0x16, 0x03, 0x01, 0x00, 0x08]) + os.urandom(8),
    os.urandom(512),
], ids=["cleartext HTTP/1.1", "cleartext HTTP/2 preface", "a broken ClientHello", "noise"])
def test_what_is_not_a_tls_handshake_is_closed_and_the_server_still_serves(server, ca, first_bytes):
    with socket.create_connection((HOST, server.port), timeout=TIMEOUT) as raw:
        raw.sendall(first_bytes)
        assert closed_within(raw, MARGIN) is not None
    with tls_socket(server, ca) as connection:
        assert connection.version() is not None
    version, _ = curl(server, ca, "--http2")
    assert version == "2"


def test_plaintext_clients_are_counted_as_handshake_failures(server):
    with socket.create_connection((HOST, server.port), timeout=TIMEOUT) as raw:
        raw.sendall(b"GET / HTTP/1.1\r\n\r\n")
        closed_within(raw, MARGIN)
    assert metric(scrape(server), 'tls_handshake_failures_total{reason="not_tls"}') >= 1


def partial_client_hello(ca):
    """The first half of a real ClientHello."""
    incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
    handshake = client_context(ca, ["h2"]).wrap_bio(incoming, outgoing, server_hostname=HOST)
    with pytest.raises(ssl.SSLWantReadError):
        handshake.do_handshake()
    hello = outgoing.read()
    return hello[:len(hello) // 2]


def test_silent_stalled_and_handshaken_but_quiet_clients_are_closed_within_the_header_timeout(ca):
    with tls_server(ca, "stalling", HEADER_TIMEOUT_SECONDS=HEADER_TIMEOUT) as running:
        silent = socket.create_connection((HOST, running.port), timeout=TIMEOUT)
        stalled = socket.create_connection((HOST, running.port), timeout=TIMEOUT)
        stalled.sendall(partial_client_hello(ca))
        quiet = tls_socket(running, ca, alpn=["h2"])
        try:
            for name, sock in [("silent", silent), ("stalled mid-handshake", stalled), ("quiet after it", quiet)]:
                lived = closed_within(sock, HEADER_TIMEOUT + MARGIN + 1)
                assert lived is not None, f"the {name} client was not closed"
        finally:
            for sock in (silent, stalled, quiet):
                sock.close()
        assert metric(scrape(running), 'http_timeouts_total{kind="header"}') >= 3
        version, _ = curl(running, ca, "--http2")
        assert version == "2"
