import NIOCore
import OpsPage
import RPC
import Transport

/// `GET`/`HEAD /ops/` and `/ops/<file>`: the operator page, files compiled into the binary
/// (`OpsPageFiles`). Public like `/openapi.json`: the page holds no data; everything it shows
/// comes from the authenticated API. Files are looked up by exact name in a fixed table, so
/// no request reaches the file system, and `..` or an encoded slash is just a name that is not
/// there. Every answer forbids framing and anything from another origin, and is revalidated
/// (`no-cache` with a strong ETag, 304 on a matching `If-None-Match`), so a new binary's page
/// is picked up at once.
struct OpsPageEndpoint: Sendable {
    static let indexName = "index.html"
    /// Longer names are never in the table; they are refused before any lookup.
    static let maxFileNameBytes = 64

    /// Nothing from other origins, no inline script or style, no framing, no plugins.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    let assets: [String: OpsPageAsset]

    init(files: [String: [UInt8]] = OpsPageFiles.byName) {
        self.assets = files.reduce(into: [:]) { assets, file in
            assets[file.key] = OpsPageAsset(name: file.key, bytes: file.value)
        }
    }

    /// GET and HEAD of the page and of each file; other methods are answered 405 by the
    /// router. No request body is accepted.
    var routes: [RESTRoute] {
        let endpoint = self
        return ["GET", "HEAD"].flatMap { method in
            ["/ops/", "/ops/{file}"].map { template in
                RESTRoute(method, template, .endpoint { request in endpoint.answer(request) }, maxBodySize: 0)
            }
        }
    }

    func answer(_ request: RESTRequest) -> RESTResponse {
        let path = request.head.path.prefix { $0 != "?" && $0 != "#" }
        // `/ops` would resolve the page's relative links against `/`.
        if path == "/ops" {
            var headers = Self.securityHeaders
            headers.append("location", "/ops/")
            return RESTResponse(status: 308, headers: headers, body: ByteBuffer())
        }
        let name = request.pathVariables["file"] ?? Self.indexName
        guard name.utf8.count <= Self.maxFileNameBytes, let asset = self.assets[name] else {
            // The name is not echoed: anyone can send a 16 KiB one.
            var response = RESTResponse.error(RPCError(.notFound, "the operator page has no such file"))
            response.headers.append(contentsOf: Self.securityHeaders)
            return response
        }
        var headers = Self.securityHeaders
        headers.append("content-type", asset.contentType)
        headers.append("cache-control", "no-cache")
        headers.append("etag", asset.etag)
        // Stated on both protocols (HTTP/2 would otherwise send none). HEAD and 304 carry no
        // body, and RFC 9110 §8.6 lets them state only the length a 200 to GET would have.
        headers.append("content-length", String(asset.body.readableBytes))
        if Self.matches(ifNoneMatch: request.head.headers.values(for: "if-none-match"), etag: asset.etag) {
            return RESTResponse(status: 304, headers: headers, body: ByteBuffer())
        }
        return RESTResponse(status: 200, headers: headers, body: request.head.method == "HEAD" ? ByteBuffer() : asset.body)
    }

    static let securityHeaders: HTTPFields = [
        "content-security-policy": Self.contentSecurityPolicy,
        "x-content-type-options": "nosniff",
        "referrer-policy": "no-referrer",
    ]

    /// RFC 9110 §13.1.2: `*`, or any listed tag equal to ours under weak comparison.
    static func matches(ifNoneMatch fields: [String], etag: String) -> Bool {
        for field in fields {
            for tag in field.split(separator: ",") {
                var tag = tag.drop { $0 == " " || $0 == "\t" }
                while tag.last == " " || tag.last == "\t" { tag = tag.dropLast() }
                if tag == "*" { return true }
                if tag.hasPrefix("W/") { tag = tag.dropFirst(2) }
                if tag == etag { return true }
            }
        }
        return false
    }
}
