"""A real browser (Debian's headless Chromium) calls the server from a page of another
origin: with CORS_ALLOWED_ORIGINS naming that origin, its preflighted Connect and REST
fetches succeed and can read the exposed headers; from an origin not listed they are blocked."""

import http.server
import shutil
import subprocess
import threading

import pytest

from auth import ADMIN_TOKEN
from server import HOST, Server, free_port

PAGE = """<!doctype html>
<html><body><pre id="out">pending</pre><script>
const api = "%(api)s", token = "%(token)s";
(async () => {
  const out = document.getElementById("out");
  try {
    const connect = await fetch(api + "/loop.callbooking.v1.ExpertService/ListExperts", {
      method: "POST", body: "{}",
      headers: {"content-type": "application/json", "connect-protocol-version": "1", "authorization": "Bearer " + token},
    });
    const listed = await connect.json();
    const rest = await fetch(api + "/api/v1/experts", {headers: {"authorization": "Bearer " + token}});
    out.textContent = "connect=" + connect.status + " experts=" + Array.isArray(listed.experts || [])
      + " rest=" + rest.status + " request-id=" + (rest.headers.get("x-request-id") || "unreadable");
  } catch (error) {
    out.textContent = "blocked: " + error;
  }
})();
</script></body></html>
"""


def chromium():
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("chromium is not installed (Debian: apt-get install chromium; tools/setup does)", pytrace=False)
    return path


class PageServer:
    """Serves the test page on its own port: another origin than the API's."""

    def __init__(self):
        self.html = ""
        page = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = page.html.encode()
                self.send_response(200)
                self.send_header("content-type", "text/html; charset=utf-8")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.httpd = http.server.ThreadingHTTPServer((HOST, self.port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def origin(self):
        return f"http://{HOST}:{self.port}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def page_text(url):
    """The page's text once its script ran, as headless Chromium renders it."""
    result = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--virtual-time-budget=10000", "--dump-dom", url],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    start = result.stdout.find('<pre id="out">')
    return result.stdout[start:result.stdout.find("</pre>", start)].removeprefix('<pre id="out">')


@pytest.fixture
def page_and_api():
    def start(listed):
        page = PageServer()  # first: the server's setting names the page's origin
        origins = page.origin if listed else "https://app.elsewhere.example"
        api = Server(extra_environment={"CORS_ALLOWED_ORIGINS": origins})
        started.append((page, api))
        page.html = PAGE % {"api": api.base_url, "token": ADMIN_TOKEN}
        return page, api

    started = []
    yield start
    for page, api in started:
        page.close()
        api.close()


def test_a_page_from_a_listed_origin_calls_connect_and_rest(page_and_api):
    page, api = page_and_api(listed=True)
    text = page_text(page.origin)
    assert "connect=200" in text and "rest=200" in text, text
    assert "request-id=unreadable" not in text, text


def test_a_page_from_an_unlisted_origin_is_blocked(page_and_api):
    page, api = page_and_api(listed=False)
    text = page_text(page.origin)
    assert text.startswith("blocked"), text
