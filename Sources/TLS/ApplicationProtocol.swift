/// The application protocols the server speaks over TLS, by their ALPN names (RFC 7301).
public enum ApplicationProtocol: Sendable, Equatable {
    /// `h2`: HTTP/2 (RFC 9113 §3.2), what gRPC clients and browsers ask for first.
    case http2
    /// `http/1.1`.
    case http1_1

    /// In the server's order of preference.
    static let supported: [ApplicationProtocol] = [.http2, .http1_1]

    var name: [UInt8] {
        switch self {
        case .http2: Array("h2".utf8)
        case .http1_1: Array("http/1.1".utf8)
        }
    }

    init?(name: UnsafeRawBufferPointer) {
        guard let known = Self.supported.first(where: { name.elementsEqual($0.name) }) else { return nil }
        self = known
    }

    /// The most preferred protocol in a client's ALPN list (length-prefixed names) and where its
    /// name lies in that list; nil when the client offers none we speak. A malformed list (a
    /// length past its end) is read up to where it breaks.
    static func preferred(in list: UnsafeRawBufferPointer) -> (protocol: ApplicationProtocol, offset: Int, length: Int)? {
        var best: (protocol: ApplicationProtocol, offset: Int, length: Int, rank: Int)?
        var index = 0
        while index < list.count {
            let length = Int(list[index])
            let start = index + 1
            guard length > 0, start + length <= list.count else { break }
            let name = UnsafeRawBufferPointer(rebasing: list[start..<(start + length)])
            if let known = ApplicationProtocol(name: name), let rank = Self.supported.firstIndex(of: known),
                rank < (best?.rank ?? Int.max)
            {
                best = (known, start, length, rank)
            }
            index = start + length
        }
        return best.map { ($0.protocol, $0.offset, $0.length) }
    }
}

/// Fired inbound once a connection's TLS handshake has finished, before its first plaintext:
/// what the client and server agreed on through ALPN (nil: the client asked for nothing).
public struct TLSHandshakeCompleted: Sendable, Equatable {
    public var applicationProtocol: ApplicationProtocol?

    public init(applicationProtocol: ApplicationProtocol?) {
        self.applicationProtocol = applicationProtocol
    }
}
