/// The low three bits of a tag. 6 and 7 are not wire types: `init?(rawValue:)` rejects them.
public enum WireType: UInt8, Sendable, Hashable {
    case varint = 0
    case fixed64 = 1
    case lengthDelimited = 2
    case startGroup = 3
    case endGroup = 4
    case fixed32 = 5
}

/// Field numbers are 1 … 2^29−1; 0 is never valid on the wire.
public let maxFieldNumber = (1 << 29) - 1

/// The varint value of a tag, `(number << 3) | wireType`.
@inline(__always)
func tagValue(_ number: Int, _ wireType: WireType) -> UInt64 {
    UInt64(truncatingIfNeeded: number) << 3 | UInt64(wireType.rawValue)
}
