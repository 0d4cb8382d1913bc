/// HTTP/2 flow control done by hand (nghttp2's automatic WINDOW_UPDATEs are off): request body
/// bytes are credited back to the client only while the connection holds at most `budget`
/// credited bytes for requests in progress. Bytes stay held until their request is released
/// (its handler has returned), so a slow handler slows its own client, whose windows close,
/// instead of the server buffering whatever the client sends.
///
/// What the client can make the server hold is `budget` plus the connection window it was
/// given (`HTTP2Settings.initialWindowSize`). Bytes for streams the server does not track
/// (refused, already answered and discarded) are credited at once.
struct RequestBodyCredit {
    /// Credit to give now: `nghttp2_session_consume(stream, count)`.
    struct Grant: Equatable {
        let streamID: Int32
        let count: Int
    }

    let budget: Int
    /// Credited bytes of requests not yet released.
    private(set) var credited = 0
    private var creditedByStream = StreamTable<Int>()
    /// Received but not credited, oldest first: paid when releases make room.
    private var owed: [Grant] = []

    init(budget: Int) {
        self.budget = budget
    }

    var owedBytes: Int { self.owed.reduce(0) { $0 + $1.count } }

    /// `count` body bytes arrived for a request in progress.
    mutating func received(_ count: Int, on streamID: Int32) -> Grant? {
        guard count > 0 else { return nil }
        if self.owed.isEmpty, self.credited + count <= self.budget {
            self.credited += count
            self.credit(count, to: streamID)
            return Grant(streamID: streamID, count: count)
        }
        self.owed.append(Grant(streamID: streamID, count: count))
        return nil
    }

    /// The request on `streamID` was released: its bytes no longer count. Returns what is now
    /// due: its own owed bytes (the connection window needs them back even though the stream
    /// is gone), then other streams' owed bytes, oldest first, as far as the budget allows.
    mutating func released(_ streamID: Int32) -> [Grant] {
        if let count = self.creditedByStream.removeValue(forKey: streamID) { self.credited -= count }
        guard !self.owed.isEmpty else { return [] }
        var grants = self.owed.filter { $0.streamID == streamID }
        self.owed.removeAll { $0.streamID == streamID }
        while let next = self.owed.first, self.credited + next.count <= self.budget {
            self.owed.removeFirst()
            self.credited += next.count
            self.credit(next.count, to: next.streamID)
            grants.append(next)
        }
        return grants
    }

    private mutating func credit(_ count: Int, to streamID: Int32) {
        if self.creditedByStream.update(streamID, { $0 += count }) == nil {
            self.creditedByStream[streamID] = count
        }
    }
}
