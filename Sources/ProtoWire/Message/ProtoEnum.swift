/// A proto3 enum: an open struct over `Int32`, so values this build does not know survive a
/// decode/encode round trip (proto3 enums are open) and print as numbers in JSON.
///
/// ```swift
/// public struct CallState: ProtoEnum {
///     public var rawValue: Int32
///     public init(rawValue: Int32) { self.rawValue = rawValue }
///     public static let unspecified = CallState(rawValue: 0)
///     public static let scheduled = CallState(rawValue: 1)
///     public static let protoName = "loop.callbooking.v1.CallState"
///     public static let names: ProtoEnumNames = [0: "CALL_STATE_UNSPECIFIED", 1: "CALL_STATE_SCHEDULED"]
/// }
/// ```
public protocol ProtoEnum: RawRepresentable, Sendable, Hashable, CustomStringConvertible where RawValue == Int32 {
    init(rawValue: Int32)
    /// Fully-qualified name, e.g. `"loop.callbooking.v1.CallState"`.
    static var protoName: String { get }
    /// The declared values' names, as written in the .proto and used by proto3 JSON.
    static var names: ProtoEnumNames { get }
}

extension ProtoEnum {
    /// The .proto name of a declared value, else the number.
    public var description: String {
        Self.names.name(of: self.rawValue) ?? String(self.rawValue)
    }

    /// Whether this build declares the value (an open enum can hold any `Int32`).
    public var isDeclared: Bool { Self.names.name(of: self.rawValue) != nil }
}

/// Both directions of an enum's name table, built once from a dictionary literal.
public struct ProtoEnumNames: Sendable, ExpressibleByDictionaryLiteral {
    private let nameByNumber: [Int32: String]
    private let numberByName: [String: Int32]

    public init(dictionaryLiteral elements: (Int32, String)...) {
        var nameByNumber: [Int32: String] = [:]
        var numberByName: [String: Int32] = [:]
        for (number, name) in elements {
            // With `allow_alias`, the first name of a number is the one JSON prints.
            if nameByNumber[number] == nil { nameByNumber[number] = name }
            numberByName[name] = number
        }
        self.nameByNumber = nameByNumber
        self.numberByName = numberByName
    }

    public func name(of number: Int32) -> String? { self.nameByNumber[number] }
    public func number(of name: String) -> Int32? { self.numberByName[name] }
    /// All declared numbers, ascending.
    public var numbers: [Int32] { self.nameByNumber.keys.sorted() }
}
