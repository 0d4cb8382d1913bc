/// Per-stream state of one connection, keyed by stream id: an open-addressing table (linear
/// probing, backward-shift deletion, at most half full).
///
/// Why not `Dictionary`: a request touches its stream's entries a dozen times (session, state
/// machine, body credit, handler), and `Dictionary` runs SipHash for each, a few percent of a
/// small request's CPU. Stream ids come from the client, so the hash is multiply-shift with a
/// random odd multiplier chosen per process: keys picked to collide would have to guess it,
/// and without it any key set spreads as expected.
struct StreamTable<Value> {
    typealias Element = (key: Int32, value: Value)

    private var slots: [Element?] = []
    private(set) var count = 0
    /// 64 − log2(slots.count): the hash keeps the product's top bits.
    private var shift: UInt64 = 64
    private let multiplier = streamTableMultiplier

    init() {}

    var isEmpty: Bool { self.count == 0 }

    subscript(key: Int32) -> Value? {
        get {
            guard let index = self.index(of: key) else { return nil }
            return self.slots[index]!.value
        }
        set {
            if let newValue {
                self.insert(newValue, for: key)
            } else {
                self.removeValue(forKey: key)
            }
        }
    }

    /// Changes the value for `key` in place; nil (and nothing runs) if there is none.
    @discardableResult
    mutating func update<Result>(_ key: Int32, _ body: (inout Value) -> Result) -> Result? {
        guard let index = self.index(of: key) else { return nil }
        var element = self.slots[index].take()!
        defer { self.slots[index] = element }
        return body(&element.value)
    }

    @discardableResult
    mutating func removeValue(forKey key: Int32) -> Value? {
        guard var hole = self.index(of: key) else { return nil }
        let removed = self.slots[hole].take()!.value
        self.count -= 1
        // Backward shift: move later entries of the probe run into the hole when their home
        // slot does not lie after it, so lookups never need tombstones.
        let mask = self.slots.count - 1
        var next = (hole + 1) & mask
        while let element = self.slots[next] {
            let home = self.home(of: element.key)
            let stays = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next)
            if !stays {
                self.slots[hole] = self.slots[next].take()
                hole = next
            }
            next = (next + 1) & mask
        }
        return removed
    }

    private mutating func insert(_ value: Value, for key: Int32) {
        if let index = self.index(of: key) {
            self.slots[index] = (key, value)
            return
        }
        if (self.count + 1) * 2 > self.slots.count { self.grow() }
        let mask = self.slots.count - 1
        var index = self.home(of: key)
        while self.slots[index] != nil { index = (index + 1) & mask }
        self.slots[index] = (key, value)
        self.count += 1
    }

    private func index(of key: Int32) -> Int? {
        guard self.count > 0 else { return nil }
        let mask = self.slots.count - 1
        var index = self.home(of: key)
        while let element = self.slots[index] {
            if element.key == key { return index }
            index = (index + 1) & mask
        }
        return nil
    }

    private func home(of key: Int32) -> Int {
        Int(truncatingIfNeeded: (UInt64(UInt32(bitPattern: key)) &* self.multiplier) >> self.shift)
    }

    private mutating func grow() {
        let old = self.slots
        let capacity = Swift.max(16, old.count * 2)
        self.slots = Array(repeating: nil, count: capacity)
        self.shift = UInt64(64 - capacity.trailingZeroBitCount)
        self.count = 0
        for case let element? in old { self.insert(element.value, for: element.key) }
    }
}

extension StreamTable: Sequence {
    struct Iterator: IteratorProtocol {
        fileprivate var base: IndexingIterator<[Element?]>

        mutating func next() -> Element? {
            while let slot = self.base.next() {
                if let element = slot { return element }
            }
            return nil
        }
    }

    func makeIterator() -> Iterator { Iterator(base: self.slots.makeIterator()) }

    var keys: [Int32] { self.map(\.key) }
    var values: [Value] { self.map(\.value) }
}

/// Odd, so multiplication is a bijection on 64 bits; random, so clients cannot aim at it.
private let streamTableMultiplier = UInt64.random(in: 1...UInt64.max) | 1
