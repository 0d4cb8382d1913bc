import NIOCore
import ProtoWire
import Testing

@testable import RPC

/// How a REST request becomes the JSON of a request message for each google.api.http `body`.
@Suite struct RESTRequestMessageTests {
    private func assemble(
        _ body: String, as rule: RPCBody, path: String, _ variables: [(name: String, value: String)] = []
    ) throws -> String {
        let request = try RESTRequestMessage.assemble(
            body: ByteBuffer(string: body), as: rule, path: path, variables: variables)
        guard case .json(let json, _) = request else { throw RPCError(.internal, "not JSON") }
        return String(decoding: json.serializedUTF8Bytes(), as: UTF8.self)
    }

    private let update = RPCBody.field("expert", updateMask: "update_mask")

    @Test func aFieldBodyIsNestedAndANestedPathVariableSetsItsField() throws {
        let json = try self.assemble(
            #"{"name":"Ada","id":"ignored"}"#, as: self.update, path: "/api/v1/experts/e1?updateMask=name",
            [("expert.id", "e1")])
        #expect(json == #"{"updateMask":"name","expert":{"name":"Ada","id":"e1"}}"#)
    }

    @Test func withoutAMaskInTheQueryTheMaskIsWhatTheBodySetsBesidesThePathsField() throws {
        let json = try self.assemble(
            #"{"id":"e1","name":"Ada","calendly_user_uri":"u","scheduling":{"weight":2}}"#, as: self.update,
            path: "/api/v1/experts/e1", [("expert.id", "e1")])
        #expect(
            json
                == #"{"update_mask":"name,calendlyUserUri,scheduling.weight","expert":{"name":"Ada","calendly_user_uri":"u","scheduling":{"weight":2},"id":"e1"}}"#,
            "the path's field is not in the mask")
    }

    @Test func theBodyFieldCannotComeFromTheQueryAndTheBodyMustBeAnObject() throws {
        let json = try self.assemble(#"{}"#, as: self.update, path: "/x?expert=evil&update_mask=name", [("expert.id", "e1")])
        #expect(json == #"{"update_mask":"name","expert":{"id":"e1"}}"#)
        #expect(throws: RPCError.self) { _ = try self.assemble("[1]", as: self.update, path: "/x") }
    }

    @Test func aWholeMessageBodyIgnoresTheQueryAndABodilessRouteReadsIt() throws {
        #expect(try self.assemble(#"{"a":"1"}"#, as: .message, path: "/x?b=2", [("id", "7")]) == #"{"a":"1","id":"7"}"#)
        #expect(try self.assemble("", as: .none, path: "/x?b=2&c=a%20b", [("id", "7")]) == #"{"b":"2","c":"a b","id":"7"}"#)
    }
}
