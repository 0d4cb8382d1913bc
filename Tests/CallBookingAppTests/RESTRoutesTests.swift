import Foundation
import BookingStore
import Clerk
import Logging
import NIOCore
import OutboundHTTP
import RPC
import Testing

@testable import CallBookingApp

/// The REST table is written by hand; this keeps it equal to the google.api.http options of
/// the .proto, which is what clients generated from the contract rely on.
@Suite struct RESTRoutesTests {
    struct ProtoRoute: Hashable, CustomStringConvertible {
        let service: String
        let rpc: String
        let method: String
        let template: String
        var description: String { "\(self.method) \(self.template) → \(self.service)/\(self.rpc)" }
    }

    static func protoRoutes() throws -> Set<ProtoRoute> {
        let protoURL = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("proto/loop/callbooking/v1/call_booking.proto")
        let text = try String(contentsOf: protoURL, encoding: .utf8)
        var routes: Set<ProtoRoute> = []
        var service = ""
        var rpc: String?
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("service ") {
                service = "loop.callbooking.v1." + trimmed.dropFirst("service ".count).prefix { $0 != " " }
            } else if trimmed.hasPrefix("rpc ") {
                rpc = String(trimmed.dropFirst("rpc ".count).prefix { $0 != "(" })
            } else if let current = rpc {
                for verb in ["get", "post", "put", "delete", "patch"] {
                    guard let range = trimmed.range(of: "\(verb): \"") else { continue }
                    let template = trimmed[range.upperBound...].prefix { $0 != "\"" }
                    routes.insert(ProtoRoute(service: service, rpc: current, method: verb.uppercased(), template: String(template)))
                    rpc = nil
                }
            }
        }
        return routes
    }

    @Test func theRouteTableEqualsTheProtosHTTPAnnotations() throws {
        let fromProto = try Self.protoRoutes()
        let fromTable = Set(
            RESTRoutes.rpcRoutes.compactMap { route -> ProtoRoute? in
                guard case .rpc(let descriptor, _) = route.target else { return nil }
                return ProtoRoute(
                    service: descriptor.service, rpc: descriptor.method, method: route.method,
                    template: route.pattern.description)
            })
        #expect(fromProto.count == 24)
        #expect(fromTable == fromProto, "only in the table: \(fromTable.subtracting(fromProto)); only in the proto: \(fromProto.subtracting(fromTable))")
    }

    /// The pool connects lazily: building the components touches no database.
    static func components() throws -> Components {
        let pool = PGPool(configuration: PGConfiguration(url: "postgresql://127.0.0.1:1/unused"))
        let config = try AppConfig(environment: AppConfigTests.minimal)
        return try Components(
            config: config, pool: pool, health: HealthStatusBoard(services: []), logger: Logger(label: "test"),
            httpClient: { _ in URLSessionHTTPClient() })
    }

    @Test func everyRoutedRPCHasAHandler() throws {
        let router = try Self.components().router
        for route in RESTRoutes.rpcRoutes {
            guard case .rpc(let descriptor, _) = route.target else { continue }
            #expect(router.handler(for: descriptor) != nil, "\(descriptor)")
        }
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theOpenAPIDocumentIsServedAsCheckedIn() throws {
        let rest = try Self.components().rest
        guard case .found(let route, _) = rest.match(method: "GET", path: "/openapi.json"), case .endpoint = route.target
        else {
            Issue.record("GET /openapi.json is not an endpoint route")
            return
        }
        #expect(route.maxBodySize == 0)
        let response = OpenAPIDocument.response
        let checkedIn = try Data(contentsOf: Self.repositoryRoot.appendingPathComponent("openapi/openapi.json"))
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        #expect(Data(response.body.readableBytesView) == checkedIn, "run tools/gen-openapi")
    }

    /// The document names a nested path variable by its last field: `{expert.id}` is `{id}`.
    static func openAPITemplate(_ pattern: PathPattern) -> String {
        pattern.description.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            guard segment.hasPrefix("{"), let dot = segment.lastIndex(of: ".") else { return String(segment) }
            return "{" + segment[segment.index(after: dot)...]
        }.joined(separator: "/")
    }

    /// The document is generated from the .proto, the table written by hand: each RPC route
    /// must be an operation of the document, and the other way round.
    @Test func theOpenAPIDocumentHasAnOperationForEveryRPCRoute() throws {
        let data = try Data(contentsOf: Self.repositoryRoot.appendingPathComponent("openapi/openapi.json"))
        let paths = try #require((try JSONSerialization.jsonObject(with: data) as? [String: Any])?["paths"] as? [String: Any])
        var documented: Set<String> = []
        for (path, item) in paths {
            for (verb, operation) in item as? [String: Any] ?? [:] {
                guard let id = (operation as? [String: Any])?["operationId"] as? String, id.contains("_") else { continue }
                documented.insert("\(verb.uppercased()) \(path) \(id)")
            }
        }
        let routed = Set(
            RESTRoutes.rpcRoutes.compactMap { route -> String? in
                guard case .rpc(let descriptor, _) = route.target else { return nil }
                let service = descriptor.service.split(separator: ".").last ?? ""
                return "\(route.method) \(Self.openAPITemplate(route.pattern)) \(service)_\(descriptor.method)"
            })
        #expect(documented == routed, "only documented: \(documented.subtracting(routed)); only routed: \(routed.subtracting(documented))")
    }
}
