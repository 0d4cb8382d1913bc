extension WireReader {
    /// Skips the value of an unknown field, whose tag was just read.
    ///
    /// proto3 parsers must accept fields they do not know (a newer client may send them); we
    /// drop them rather than keep them, so re-encoding loses them. Groups are skipped up to
    /// the end-group with the same number; they count against the recursion limit because a
    /// hostile peer could otherwise nest them without bound.
    mutating func skipField(number: Int, wireType: WireType, depth: Int) throws(WireError) {
        switch wireType {
        case .varint:
            _ = try self.readVarint()
        case .fixed64:
            _ = try self.readFixed64()
        case .fixed32:
            _ = try self.readFixed32()
        case .lengthDelimited:
            _ = try self.readLengthDelimited()
        case .startGroup:
            try self.skipGroup(number: number, depth: depth + 1)
        case .endGroup:
            throw WireError(.unmatchedEndGroup, "end-group for field \(number)")
        }
    }

    private mutating func skipGroup(number: Int, depth: Int) throws(WireError) {
        guard depth <= protoRecursionLimit else {
            throw WireError(.recursionLimit, "groups nested deeper than \(protoRecursionLimit)")
        }
        while true {
            let tag = try self.readTag()
            if tag.wireType == .endGroup {
                guard tag.number == number else {
                    throw WireError(.unmatchedEndGroup, "end-group \(tag.number) inside group \(number)")
                }
                return
            }
            try self.skipField(number: tag.number, wireType: tag.wireType, depth: depth)
        }
    }
}
