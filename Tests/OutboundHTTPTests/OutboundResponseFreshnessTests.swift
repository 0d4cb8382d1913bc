import Foundation
import Testing

@testable import OutboundHTTP

@Suite struct OutboundResponseFreshnessTests {
    func lifetime(_ headers: [String: String]) -> TimeInterval? {
        OutboundResponse(status: 200, headers: headers, body: Data()).statedFreshnessLifetime
    }

    @Test func maxAgeLessTheAgeSpentInCaches() {
        #expect(lifetime(["Cache-Control": "public, max-age=300"]) == 300)
        #expect(lifetime(["cache-control": "Max-Age=\"300\", must-revalidate"]) == 300)
        #expect(lifetime(["Cache-Control": "max-age=300", "Age": "120"]) == 180)
        #expect(lifetime(["Cache-Control": "max-age=300", "Age": "900"]) == 0)
        #expect(lifetime(["Cache-Control": "max-age=300", "Age": "soon"]) == 300)
        #expect(lifetime(["Cache-Control": "max-age=300, max-age=5"]) == 300)   // the first one counts
    }

    @Test func noStoreAndNoCacheAskForAFreshCopyEachTime() {
        #expect(lifetime(["Cache-Control": "no-store"]) == 0)
        #expect(lifetime(["Cache-Control": "max-age=300, no-cache"]) == 0)
        #expect(lifetime(["Cache-Control": "private, NO-CACHE"]) == 0)
        #expect(lifetime(["Cache-Control": "no-cache=\"Set-Cookie\", max-age=60"]) == 60)   // qualified: fields only
    }

    @Test func anUnreadableMaxAgeIsStaleAndAHugeOneIsHuge() {
        #expect(lifetime(["Cache-Control": "max-age=-1"]) == 0)
        #expect(lifetime(["Cache-Control": "max-age=1h"]) == 0)
        #expect(lifetime(["Cache-Control": "max-age="]) == 0)
        #expect(lifetime(["Cache-Control": "max-age=99999999999999999999999"]) == TimeInterval(Int.max))
    }

    @Test func nothingStatedIsNil() {
        #expect(lifetime([:]) == nil)
        #expect(lifetime(["Cache-Control": "public, s-maxage=600"]) == nil)
        #expect(lifetime(["Age": "10"]) == nil)
    }
}
