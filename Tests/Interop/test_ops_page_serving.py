"""How /ops/ is served, seen by curl over HTTP/1.1 and HTTP/2 (h2c): media types, the
Content-Security-Policy, revalidation by ETag (304), HEAD, 405 for other methods, and
nothing but the page's own files whatever the path says (traversal, encodings, a long path)."""

import http.client

import pytest

from test_analytics_and_operations import curl

PROTOCOLS = {"http1.1": ["--http1.1"], "h2c": ["--http2-prior-knowledge"]}


@pytest.fixture(params=PROTOCOLS, ids=list(PROTOCOLS))
def protocol(request):
    return PROTOCOLS[request.param]


def test_the_page_and_its_modules_have_their_types_and_policy(server, protocol):
    for path, media_type in (("/ops/", "text/html; charset=utf-8"), ("/ops/main.js", "text/javascript; charset=utf-8"),
                             ("/ops/style.css", "text/css; charset=utf-8")):
        status, headers, body = curl(*protocol, server.base_url + path)
        assert status == 200 and headers["content-type"] == media_type, (path, headers)
        policy = headers["content-security-policy"]
        assert policy.startswith("default-src 'self';") and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy and "http" not in policy
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["cache-control"] == "no-cache" and headers["etag"].startswith('"')
        assert int(headers["content-length"]) == len(body) > 0


def test_a_matching_etag_is_not_modified_and_head_has_no_body(server, protocol):
    _, headers, body = curl(*protocol, server.base_url + "/ops/main.js")
    status, again, rest = curl(*protocol, "-H", f"If-None-Match: {headers['etag']}", server.base_url + "/ops/main.js")
    assert status == 304 and rest == b"" and again["etag"] == headers["etag"]
    assert again.get("content-length", str(len(body))) == str(len(body))
    status, head, rest = curl(*protocol, "-I", server.base_url + "/ops/main.js")
    assert status == 200 and rest == b"" and int(head["content-length"]) == len(body)


def test_other_methods_are_405_and_ops_without_slash_redirects(server, protocol):
    status, headers, _ = curl(*protocol, "-X", "POST", "-H", "content-type: application/json", "-d", "{}",
                              server.base_url + "/ops/main.js")
    assert status == 405 and set(headers["allow"].split(", ")) == {"GET", "HEAD"}
    status, headers, _ = curl(*protocol, server.base_url + "/ops")
    assert status == 308 and headers["location"] == "/ops/"


@pytest.mark.parametrize("path", [
    "/ops/../Package.swift", "/ops/..%2FPackage.swift", "/ops/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/ops/%2E%2E/%2E%2E/etc/passwd", "/ops/main.js%00.html", "/ops/.%2Fmain.js", "/ops/main.js/..",
    "/ops/" + "a" * 2000 + ".js",
])
def test_paths_outside_the_pages_files_are_not_served(server, protocol, path):
    status, headers, body = curl(*protocol, "--path-as-is", server.base_url + path)
    assert status == 404, (path, status, body[:200])
    assert b"root:" not in body and b"PackageDescription" not in body and len(body) < 300


def test_a_path_over_the_header_limit_is_refused_and_the_server_keeps_serving(server):
    connection = server.http_connection(timeout=5)
    try:
        connection.request("GET", "/ops/" + "a" * 20000)
        response = connection.getresponse()
        response.read()
        assert 400 <= response.status < 500
    except (ConnectionError, http.client.HTTPException):
        pass  # closing the connection is a refusal too
    finally:
        connection.close()
    status, _, _ = curl(server.base_url + "/ops/")
    assert status == 200
