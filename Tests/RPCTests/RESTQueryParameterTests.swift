import NIOCore
import ProtoWire
import Testing

@testable import RPC

/// Query parameters as google.api.http maps them onto a bodiless route's request message.
@Suite struct RESTQueryParameterTests {
    struct Filter: ProtoMessage {
        var names: [String] = []
        var sizes: [Int32] = []
        var flag = false
        var single = ""

        init() {}

        static let protoName = "test.Filter"
        static let schema: MessageSchema<Filter> = [
            .string(1, "names", \.names),
            .int32(2, "sizes", \.sizes),
            .bool(3, "flag", \.flag),
            .string(4, "single", \.single),
        ]
    }

    private func filter(_ query: String) throws(RPCError) -> Filter {
        try Filter.decode(RESTRequestMessage.assemble(body: ByteBuffer(), as: .none, path: "/f?" + query, variables: []))
    }

    @Test func aRepeatedFieldGivenSeveralTimesKeepsEveryValueInOrder() throws {
        let filter = try self.filter("names=b&sizes=3&names=a&names=b&sizes=1")
        #expect(filter.names == ["b", "a", "b"])
        #expect(filter.sizes == [3, 1])
    }

    @Test func aRepeatedFieldGivenOnceIsAOneElementList() throws {
        #expect(try self.filter("names=only").names == ["only"])
    }

    @Test func aBoolReadsTrueAndFalse() throws {
        #expect(try self.filter("flag=true").flag)
        #expect(try !self.filter("flag=false").flag)
        #expect(throws: RPCError.self) { try self.filter("flag=yes") }
    }

    @Test func aSingularFieldGivenTwiceIsRefused() {
        #expect(throws: RPCError.self) { try self.filter("single=a&single=b") }
    }

    /// Only a query is read this way: a JSON body keeps proto3 JSON's types.
    @Test func aJSONBodyStillNeedsAnArrayAndABoolean() throws {
        let body = try RESTRequestMessage.assemble(body: .init(string: #"{"names": "a"}"#), as: .message, path: "/f", variables: [])
        #expect(throws: RPCError.self) { try Filter.decode(body) }
        let flag = try RESTRequestMessage.assemble(body: .init(string: #"{"flag": "true"}"#), as: .message, path: "/f", variables: [])
        #expect(throws: RPCError.self) { try Filter.decode(flag) }
    }
}
