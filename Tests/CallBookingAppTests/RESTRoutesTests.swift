import Foundation
import BookingStore
import Clerk
import Logging
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
        #expect(fromProto.count == 17)
        #expect(fromTable == fromProto, "only in the table: \(fromTable.subtracting(fromProto)); only in the proto: \(fromProto.subtracting(fromTable))")
    }

    @Test func everyRoutedRPCHasAHandler() throws {
        // The pool connects lazily: building the router touches no database.
        let pool = PGPool(configuration: PGConfiguration(url: "postgresql://127.0.0.1:1/unused"))
        let config = try AppConfig(environment: AppConfigTests.minimal)
        let router = try Components(
            config: config, pool: pool, health: HealthStatusBoard(services: []), logger: Logger(label: "test"),
            httpClient: { _ in URLSessionHTTPClient() }
        ).router
        for route in RESTRoutes.rpcRoutes {
            guard case .rpc(let descriptor, _) = route.target else { continue }
            #expect(router.handler(for: descriptor) != nil, "\(descriptor)")
        }
    }
}
