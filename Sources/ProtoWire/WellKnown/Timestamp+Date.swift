#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension Timestamp {
    /// The nearest Timestamp to `date` (a `Date` is a Double: sub-microsecond digits are noise).
    public init(date: Date) {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite else {
            self.init(seconds: interval > 0 ? Self.maxSeconds : Self.minSeconds)
            return
        }
        var seconds = interval.rounded(.down)
        var nanos = ((interval - seconds) * 1e9).rounded()
        if nanos >= 1e9 {
            seconds += 1
            nanos -= 1e9
        }
        // Clamp so the conversion cannot trap; far beyond the JSON range anyway.
        let clamped = min(max(seconds, -9e18), 9e18)
        self.init(seconds: Int64(clamped), nanos: Int32(nanos))
    }

    public var date: Date {
        Date(timeIntervalSince1970: Double(self.seconds) + Double(self.nanos) / 1e9)
    }
}
