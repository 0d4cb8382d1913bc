import Transport

/// Which browser origins may call this server from their pages, and what they are told.
/// An origin not on the list gets no CORS headers at all, so its pages cannot read an answer
/// (and cannot send a preflighted request: a JSON, Connect or gRPC-Web write).
public struct CORSPolicy: Sendable {
    /// Serialized origins, `scheme://host[:port]`, lower case, default ports left out.
    public let allowedOrigins: Set<String>

    public init(allowedOrigins: some Sequence<String>) {
        self.allowedOrigins = Set(allowedOrigins.compactMap(Self.serializedOrigin))
    }

    public static let none = CORSPolicy(allowedOrigins: [])

    public var isEmpty: Bool { self.allowedOrigins.isEmpty }

    public func allows(origin: String) -> Bool {
        Self.serializedOrigin(origin).map(self.allowedOrigins.contains) ?? false
    }

    /// What a browser sends as `Origin` for `text`: `http` or `https`, a host, an optional
    /// port (the scheme's default left out), nothing else. Nil for anything that is not an
    /// origin (a path, a query, a wildcard, `null`).
    public static func serializedOrigin(_ text: String) -> String? {
        let lowered = text.lowercased()
        let scheme: String
        if lowered.hasPrefix("https://") {
            scheme = "https"
        } else if lowered.hasPrefix("http://") {
            scheme = "http"
        } else {
            return nil
        }
        let authority = lowered.dropFirst(scheme.count + 3)
        guard !authority.isEmpty,
            authority.allSatisfy({ $0.isLetter || $0.isNumber || "-.:[]".contains($0) }),
            authority.first != ":"
        else { return nil }
        let defaultPort = scheme == "https" ? ":443" : ":80"
        if authority.hasSuffix(defaultPort) {
            return "\(scheme)://\(authority.dropLast(defaultPort.count))"
        }
        return "\(scheme)://\(authority)"
    }

    /// Request headers a page may send: credentials, each protocol's own (Connect's version
    /// and timeout, gRPC-Web's marker and timeout), compression and the request id.
    public static let allowedRequestHeaders = [
        "authorization", "content-type", "connect-protocol-version", "connect-timeout-ms",
        "connect-content-encoding", "connect-accept-encoding", "content-encoding", "grpc-timeout",
        "grpc-accept-encoding", "x-grpc-web", "x-user-agent", "x-request-id",
    ]

    /// Response headers a page may read: gRPC-Web's status (its trailers can arrive as
    /// headers), the request id, and when to retry.
    public static let exposedResponseHeaders = [
        "grpc-status", "grpc-message", "grpc-status-details-bin", "x-request-id", "retry-after",
    ]

    /// Browsers cache a preflight at most this long (Chromium caps it at two hours).
    static let preflightMaxAgeSeconds = 7200

    /// Added to every answer to an allowed origin. Credentials are allowed (the `__session`
    /// cookie), which is why origins are listed exactly and never `*`.
    func responseHeaders(origin: String) -> HTTPFields {
        [
            "access-control-allow-origin": origin,
            "access-control-allow-credentials": "true",
            "access-control-expose-headers": Self.exposedResponseHeaders.joined(separator: ", "),
            "vary": "Origin",
        ]
    }

    /// The answer to a preflight from an allowed origin for a path that takes `methods`.
    func preflightHeaders(origin: String, methods: [String]) -> HTTPFields {
        [
            "access-control-allow-origin": origin,
            "access-control-allow-credentials": "true",
            "access-control-allow-methods": methods.joined(separator: ", "),
            "access-control-allow-headers": Self.allowedRequestHeaders.joined(separator: ", "),
            "access-control-max-age": String(Self.preflightMaxAgeSeconds),
            "vary": "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
        ]
    }
}
