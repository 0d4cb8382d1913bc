/// A oneof is stored as an optional enum of its members; the schema sees one optional property
/// per member, whose setter calls this. Setting a member replaces whichever was set (so on the
/// wire the last one wins, as in Google's runtimes); setting it to nil clears the oneof only
/// when that member is the one set.
func assignOneofMember<Oneof, Value>(_ value: Value?, as member: (Value) -> Oneof, to oneof: inout Oneof?, memberIsSet: Bool) {
    if let value {
        oneof = member(value)
    } else if memberIsSet {
        oneof = nil
    }
}
