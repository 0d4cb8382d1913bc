import NIOCore
import RPC

/// The OpenAPI 3.1 document of the REST routes: generated from proto/ by tools/gen-openapi
/// and compiled in (`OpenAPIDocument+JSON.swift`), so the binary serves it from anywhere.
enum OpenAPIDocument {
    /// Built once; each answer shares the buffer's storage.
    static let response = RESTResponse(
        status: 200, headers: ["content-type": "application/json"], body: ByteBuffer(string: Self.json))
}
