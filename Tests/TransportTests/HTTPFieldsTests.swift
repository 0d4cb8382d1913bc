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
