import BookingAPI
import Foundation
import ProtoWire
import Testing

/// The hand-written messages must mirror proto/ exactly: every message registered, the same
/// field names and numbers. (Types are checked byte for byte by Tests/Interop.)
@Suite struct ProtoContractTests {
    static let protoFiles = [
        "loop/callbooking/v1/call_booking.proto", "grpc/health/v1/health.proto", "grpc/reflection/v1/reflection.proto",
    ]

    @Test func everyMessageInTheProtoFilesIsRegistered() throws {
        let declared = try Self.protoFiles.flatMap { try ProtoFileOutline(path: $0).messages.keys }
        #expect(!declared.isEmpty)
        for name in declared {
            #expect(MessageRegistry.messageTypes[name] != nil, "\(name) is missing from MessageRegistry.messageTypes")
        }
        let extra = Set(MessageRegistry.messageTypes.keys).subtracting(declared).subtracting(["google.protobuf.Timestamp", "google.protobuf.FieldMask"])
        #expect(extra.isEmpty, "registered but not in proto/: \(extra.sorted())")
    }

    @Test func fieldNamesAndNumbersMatchTheProtoFiles() throws {
        for file in Self.protoFiles {
            for (name, fields) in try ProtoFileOutline(path: file).messages {
                guard let type = MessageRegistry.messageTypes[name] else { continue }
                #expect(Self.fields(of: type) == fields, "\(name)")
            }
        }
    }

    @Test func registeredNamesMatchEachTypesProtoName() {
        for (name, type) in MessageRegistry.messageTypes {
            #expect(type.protoName == name)
        }
    }

    @Test func everySchemaIsWellFormed() {
        for type in MessageRegistry.messageTypes.values {
            #expect(Self.problems(of: type).isEmpty)
        }
    }

    private static func fields<M: ProtoMessage>(of type: M.Type) -> [Int: String] {
        Dictionary(uniqueKeysWithValues: M.schema.fields.map { ($0.number, $0.name) })
    }

    private static func problems<M: ProtoMessage>(of type: M.Type) -> [String] {
        M.schema.declarationProblems
    }
}

/// Just enough of a .proto parser for the check above: message names (nested ones qualified)
/// and their fields' numbers and names. Enums, services and options are skipped.
struct ProtoFileOutline {
    private(set) var messages: [String: [Int: String]] = [:]

    init(path: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../proto")
        let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
        let tokens = Self.tokens(of: text)
        var package = ""
        var scopes: [(kind: String, name: String)] = []
        var statement: [String] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            switch token {
            case "{":
                let kind = statement.first ?? ""
                scopes.append((kind, statement.count > 1 ? statement[1] : ""))
                if kind == "message" {
                    self.messages[Self.qualified(package, scopes), default: [:]] = [:]
                }
                statement = []
            case "}":
                if !scopes.isEmpty { scopes.removeLast() }
                statement = []
            case ";":
                if statement.first == "package", statement.count > 1 {
                    package = statement[1]
                } else if let scope = scopes.last, scope.kind == "message" || scope.kind == "oneof",
                          !["option", "reserved", "extensions"].contains(statement.first ?? ""),
                          let equals = statement.firstIndex(of: "="), equals > 0, equals + 1 < statement.count,
                          let number = Int(statement[equals + 1]) {
                    let owner = Self.qualified(package, scopes.filter { $0.kind == "message" }.map { ($0.kind, $0.name) })
                    self.messages[owner, default: [:]][number] = statement[equals - 1]
                }
                statement = []
            default:
                statement.append(token)
            }
        }
    }

    private static func qualified(_ package: String, _ scopes: [(kind: String, name: String)]) -> String {
        ([package] + scopes.filter { $0.kind == "message" }.map(\.name)).joined(separator: ".")
    }

    /// Words and the punctuation that structures a .proto, with `//` comments removed.
    private static func tokens(of text: String) -> [String] {
        var tokens: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let code = line.components(separatedBy: "//").first ?? ""
            var word = ""
            for character in code {
                if character.isWhitespace || "{};=<>,[]()".contains(character) {
                    if !word.isEmpty { tokens.append(word); word = "" }
                    if "{};=".contains(character) { tokens.append(String(character)) }
                } else {
                    word.append(character)
                }
            }
            if !word.isEmpty { tokens.append(word) }
        }
        return tokens
    }
}
