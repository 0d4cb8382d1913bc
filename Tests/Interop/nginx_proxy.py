"""Debian's nginx on loopback in front of call-booking replicas, as an operator would run it:
`grpc_pass` (h2c upstream) on one port for gRPC, `proxy_pass` with HTTP/1.1 keep-alive on
another for REST and webhooks, round robin with passive health checks (`max_fails`,
`fail_timeout`). nginx 1.22 serves cleartext HTTP/2 only with prior knowledge on a port of its
own, hence two listeners. Open-source nginx has no active health check: a replica is taken out
when requests to it fail."""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time

from server import HOST, free_port

CONFIG = """
worker_processes 1;
{user}
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  # nginx's default closes a client connection after 1000 requests; h2load does not reconnect.
  keepalive_requests 1000000;
  client_body_temp_path {root}/body;
  proxy_temp_path {root}/proxy;
  fastcgi_temp_path {root}/fastcgi;
  uwsgi_temp_path {root}/uwsgi;
  scgi_temp_path {root}/scgi;
  upstream grpc_replicas {{
{servers}
    keepalive 32;
  }}
  upstream http_replicas {{
{servers}
    keepalive 32;
  }}
  server {{
    listen {host}:{grpc_port} http2;
    location / {{
      grpc_pass grpc://grpc_replicas;
      grpc_connect_timeout 1s;
      grpc_read_timeout 30s;
      # A refused connection is tried on the next replica; a request already sent is not
      # (it may have had its effect): the client sees UNAVAILABLE and retries.
      grpc_next_upstream error timeout;
    }}
  }}
  server {{
    listen {host}:{http_port};
    location / {{
      proxy_pass http://http_replicas;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_connect_timeout 1s;
      proxy_read_timeout 30s;
      proxy_next_upstream error timeout;
      client_max_body_size 2m;
    }}
  }}
}}
"""


def nginx_binary():
    return shutil.which("nginx") or next((path for path in ("/usr/sbin/nginx",) if os.path.exists(path)), None)


class Nginx:
    def __init__(self, upstream_ports):
        binary = nginx_binary()
        assert binary, "nginx is not installed"
        self.root = tempfile.mkdtemp(prefix="cb-nginx-")
        self.grpc_port, self.http_port = free_port(), free_port()
        servers = "\n".join(f"    server {HOST}:{port} max_fails=1 fail_timeout=10s;" for port in upstream_ports)
        # Started as root, nginx's workers would switch to `nobody`, who cannot use this directory.
        user = f"user {pwd.getpwuid(os.getuid()).pw_name};" if os.getuid() == 0 else ""
        with open(os.path.join(self.root, "nginx.conf"), "w") as config:
            config.write(CONFIG.format(user=user, root=self.root, servers=servers, host=HOST,
                                       grpc_port=self.grpc_port, http_port=self.http_port))
        self.process = subprocess.Popen(
            [binary, "-p", self.root, "-c", os.path.join(self.root, "nginx.conf"), "-g", "daemon off;"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited at start: {self.process.stderr.read().decode(errors='replace')}"
                                   f"{self.error_log()}")
            try:
                for port in (self.grpc_port, self.http_port):
                    socket.create_connection((HOST, port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    self.close()
                    raise RuntimeError(f"nginx did not listen within 10 s: {self.error_log()}")
                time.sleep(0.05)

    @property
    def grpc_address(self):
        return f"{HOST}:{self.grpc_port}"

    @property
    def http_base_url(self):
        return f"http://{HOST}:{self.http_port}"

    def error_log(self, limit=4000):
        try:
            with open(os.path.join(self.root, "error.log")) as log:
                return log.read()[-limit:]
        except OSError:
            return ""

    def close(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def h2load_grpc(address, path, message, token, seconds, clients=8, streams=8):
    """Requests per second of a short h2load run of one gRPC method (cleartext, prior knowledge),
    and its status-code counts; None when h2load is not installed."""
    binary = shutil.which("h2load")
    if binary is None:
        return None
    frame = b"\x00" + len(message).to_bytes(4, "big") + message
    with tempfile.NamedTemporaryFile(suffix=".grpc") as body:
        body.write(frame)
        body.flush()
        result = subprocess.run(
            [binary, "-D", str(seconds), "-c", str(clients), "-m", str(streams), "-t", "1", "-d", body.name,
             "-H", "content-type: application/grpc", "-H", "te: trailers", "-H", f"authorization: Bearer {token}",
             f"http://{address}{path}"],
            capture_output=True, text=True, timeout=seconds + 30)
    report = result.stdout
    figures = {"output": report}
    for line in report.splitlines():
        line = line.strip()
        if line.startswith("finished in"):
            figures["rps"] = float(line.split(",")[1].split("req/s")[0])
        if line.startswith("status codes:"):
            counts = [int(part.split()[0]) for part in line.split(":", 1)[1].split(",")]
            figures["2xx"], figures["3xx"], figures["4xx"], figures["5xx"] = counts
        if line.startswith("requests:"):
            parts = dict(reversed(part.split()) for part in line.split(":", 1)[1].split(","))
            figures["failed"], figures["errored"] = int(parts["failed"]), int(parts["errored"])
    return figures
