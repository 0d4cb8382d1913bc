/// Lengths of nested length-delimited records, computed once by the size pass.
///
/// Encoding needs each nested message's length *before* its bytes. Recomputing it at every
/// level is quadratic in depth; encoding into a scratch buffer and copying allocates per
/// message. Instead the size pass appends each nested length in the order the encoder will
/// meet it (pre-order: a parent's slot is reserved before its children are measured), and the
/// encoder consumes them front to back. One array per `serialize` call, none for flat messages.
struct SizeCache {
    private var sizes: [Int] = []
    private var next = 0

    /// Reserves the slot for a record whose children are about to be measured.
    mutating func reserve() -> Int {
        self.sizes.append(0)
        return self.sizes.count - 1
    }

    mutating func fill(_ slot: Int, with size: Int) {
        self.sizes[slot] = size
    }

    /// The next length, in the order `reserve` was called.
    mutating func take() -> Int {
        defer { self.next += 1 }
        return self.sizes[self.next]
    }
}
