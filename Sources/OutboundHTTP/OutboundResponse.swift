public import Foundation

/// A provider's answer: the status, the header fields and the whole body.
///
/// Header names are case-insensitive (RFC 9110 §5.1), so they are stored lowercased and read
/// through `header(_:)`; a caller never has to guess how a server or URLSession spelled them.
public struct OutboundResponse: Sendable {
    public var status: Int
    /// Field values by lowercased name.
    public private(set) var headers: [String: String]
    public var body: Data

    /// Two names that differ only in case are one field: their values are joined with ", ", as
    /// RFC 9110 §5.3 combines repeated field lines.
    public init(status: Int, headers: [String: String] = [:], body: Data) {
        self.status = status
        self.headers = [:]
        for (name, value) in headers {
            let key = name.lowercased()
            self.headers[key] = self.headers[key].map { $0 + ", " + value } ?? value
        }
        self.body = body
    }

    /// The value of the field `name` in any case, or nil when the answer has none.
    public func header(_ name: String) -> String? { self.headers[name.lowercased()] }
}
