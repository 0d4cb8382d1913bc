import NIOCore
import Testing
import Transport

@testable import CallBookingApp
@testable import RPC

/// What a browser gets from `/ops/`: the embedded files with their media types, revalidation
/// by ETag, a policy that lets nothing from elsewhere run or frame the page, and nothing
/// outside the table of files whatever the path says.
@Suite struct OpsPageEndpointTests {
    let endpoint = OpsPageEndpoint()

    func request(_ path: String, method: String = "GET", headers: HTTPFields = HTTPFields()) async -> RESTResponse {
        let router = RESTRouter(self.endpoint.routes)
        let head = RequestHead(version: .http1_1, method: method, path: path, authority: "localhost", headers: headers)
        guard case .found(let route, let variables) = router.match(method: method, path: path.prefix { $0 != "?" }),
            case .endpoint(let answer) = route.target
        else { Issue.record("no route for \(method) \(path)"); return RESTResponse(status: 0, body: ByteBuffer()) }
        let request = RESTRequest(
            head: head, pathVariables: Dictionary(variables, uniquingKeysWith: { $1 }), body: ByteBuffer())
        return await answer(request)
    }

    @Test func thePageIsHTMLThatForbidsOtherOriginsFramingAndSniffing() async throws {
        let response = await self.request("/ops/")
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "text/html; charset=utf-8")
        let policy = try #require(response.headers["content-security-policy"])
        #expect(policy.hasPrefix("default-src 'self';"))
        #expect(policy.contains("frame-ancestors 'none'"))
        #expect(policy.contains("script-src 'self';"))
        #expect(!policy.contains("unsafe-inline") && !policy.contains("http") && !policy.contains("*"))
        #expect(response.headers["x-content-type-options"] == "nosniff")
        #expect(response.headers["cache-control"] == "no-cache")
        #expect(String(buffer: response.body).contains(#"<script type="module" src="/ops/main.js"></script>"#))
    }

    @Test func eachFileHasTheMediaTypeOfItsExtension() async {
        #expect(await self.request("/ops/main.js").headers["content-type"] == "text/javascript; charset=utf-8")
        #expect(await self.request("/ops/style.css").headers["content-type"] == "text/css; charset=utf-8")
        #expect(await self.request("/ops/index.html").headers["content-type"] == "text/html; charset=utf-8")
        for name in self.endpoint.assets.keys {
            #expect(OpsPageAsset.mediaType(forFileNamed: name) != "application/octet-stream", "\(name)")
        }
    }

    /// The policy forbids inline script: the page must have none for it to work at all.
    @Test func theHTMLHasNoInlineScriptOrStyle() async throws {
        let html = String(buffer: try #require(self.endpoint.assets["index.html"]).body)
        let scripts = html.split(separator: "<script").dropFirst()
        #expect(!scripts.isEmpty)
        for script in scripts { #expect(script.contains("src=\"/ops/") && script.contains("></script>")) }
        #expect(!html.contains("<style") && !html.contains(" style=") && !html.contains(" onclick="))
    }

    @Test func aMatchingIfNoneMatchIsNotModifiedWithoutABody() async throws {
        let first = await self.request("/ops/main.js")
        let etag = try #require(first.headers["etag"])
        #expect(etag.hasPrefix("\"") && etag.hasSuffix("\"") && !etag.hasPrefix("W/"))
        for sent in [etag, "W/\(etag)", "\"other\", \(etag)", "*"] {
            let again = await self.request("/ops/main.js", headers: ["if-none-match": sent])
            #expect(again.status == 304, "\(sent)")
            #expect(again.body.readableBytes == 0)
            #expect(again.headers["etag"] == etag)
            #expect(again.headers["content-length"] == String(first.body.readableBytes))
        }
        #expect(await self.request("/ops/main.js", headers: ["if-none-match": "\"stale\""]).status == 200)
        #expect(await self.request("/ops/style.css").headers["etag"] != etag)
    }

    @Test func headAnswersTheLengthWithoutTheBody() async throws {
        let get = await self.request("/ops/main.js")
        let head = await self.request("/ops/main.js", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.body.readableBytes == 0)
        #expect(head.headers["content-length"] == String(get.body.readableBytes))
        #expect(head.headers["etag"] == get.headers["etag"])
    }

    @Test func opsWithoutTheSlashIsRedirectedSoRelativeLinksResolve() async {
        let response = await self.request("/ops")
        #expect(response.status == 308)
        #expect(response.headers["location"] == "/ops/")
    }

    @Test func unknownTraversingAndOverlongNamesAreNotFoundAndNotEchoed() async {
        let long = String(repeating: "a", count: 5000) + ".js"
        for path in ["/ops/nope.js", "/ops/..", "/ops/..%2F..%2FPackage.swift", "/ops/%2e%2e", "/ops/.%2Fmain.js",
                     "/ops/main.js%00", "/ops/MAIN.JS", "/ops/\(long)"] {
            let response = await self.request(path)
            #expect(response.status == 404, "\(path)")
            #expect(response.headers["x-content-type-options"] == "nosniff")
            let body = String(buffer: response.body)
            #expect(body.contains("the operator page has no such file") && body.count < 200, "\(path)")
        }
    }

    @Test func otherMethodsAndDeeperPathsAreRefusedByTheRouter() async {
        let router = RESTRouter(self.endpoint.routes)
        for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
            guard case .methodNotAllowed(let allowed) = router.match(method: method, path: "/ops/main.js") else {
                Issue.record("\(method) was not refused"); continue
            }
            #expect(Set(allowed) == ["GET", "HEAD"])
        }
        guard case .notFound = router.match(method: "GET", path: "/ops/../main.js/x") else {
            Issue.record("a path of three segments found a route"); return
        }
    }

    @Test func theServerRoutesThePageWithoutABody() throws {
        let rest = try RESTRoutesTests.components().rest
        for (method, path) in [("GET", "/ops/"), ("HEAD", "/ops/"), ("GET", "/ops/main.js"), ("HEAD", "/ops/style.css")] {
            guard case .found(let route, _) = rest.match(method: method, path: path[...]), case .endpoint = route.target else {
                Issue.record("\(method) \(path) is not routed to the page"); continue
            }
            #expect(route.maxBodySize == 0)
        }
    }
}
