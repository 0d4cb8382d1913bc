import Testing

@testable import Transport

@Suite struct HTTPFieldsTests {
    @Test func repeatedNamesKeepTheirOrder() {
        var fields = HTTPFields()
        fields.append("trace-bin", "AAH/")
        fields.append("x", "1")
        fields.append("trace-bin", "AQI")
        #expect(fields["trace-bin"] == "AAH/")
        #expect(fields.values(for: "trace-bin") == ["AAH/", "AQI"])
        fields.removeAll(named: "trace-bin")
        #expect(fields.count == 1)
    }

    @Test func literalNamesAreLowerCased() {
        let fields: HTTPFields = ["Content-Type": "application/grpc"]
        #expect(fields["content-type"] == "application/grpc")
    }
}

@Suite struct HTTPFieldsStorageTests {
    @Test func rawAndStringFieldsReadBackAlikeAndCombine() {
        var fields = HTTPFields()
        let name = Array("x-long".utf8)
        let value = Array(repeating: UInt8(ascii: "v"), count: 70_000)
        name.withUnsafeBufferPointer { nameBytes in
            value.withUnsafeBufferPointer { valueBytes in fields.append(name: nameBytes, value: valueBytes) }
        }
        fields.append("content-type", "application/grpc")
        var other = HTTPFields()
        other.append("grpc-status", "0")
        fields.append(contentsOf: other)
        #expect(fields.count == 3)
        #expect(fields["x-long"]?.utf8.count == 70_000)
        #expect(fields["content-type"] == "application/grpc")
        #expect(fields["grpc-status"] == "0")
        #expect(fields["content"] == nil)
        #expect(fields.map(\.name) == ["x-long", "content-type", "grpc-status"])
        fields.removeAll(named: "x-long")
        #expect(fields.map(\.name) == ["content-type", "grpc-status"])
        #expect(fields.byteCount == "content-typeapplication/grpcgrpc-status0".utf8.count)
    }
}
