import BookingDomain
import ProtoWire

/// What a sync did, per expert: the answer of the on-demand routes, in lowerCamelCase JSON like
/// the rest of the REST API. `failed` lists experts whose stored availability was left as it was.
struct CalendlySyncReport: Sendable, Equatable {
    struct Synced: Sendable, Equatable {
        var expertID: ExpertID
        var timeZone: String
        var weeklyHours: Int
        var dateOverrides: Int
        var timeOff: Int
        var skippedOwnCalls: Int
    }

    struct Failed: Sendable, Equatable {
        var expertID: ExpertID
        var message: String
    }

    var synced: [Synced] = []
    var failed: [Failed] = []

    var json: JSONValue {
        .object([
            JSONMember(key: "synced", value: .array(self.synced.map(\.json))),
            JSONMember(key: "failed", value: .array(self.failed.map(\.json))),
        ])
    }
}

extension CalendlySyncReport.Synced {
    var json: JSONValue {
        .object([
            JSONMember(key: "expertId", value: .string(self.expertID.uuidString)),
            JSONMember(key: "timezone", value: .string(self.timeZone)),
            JSONMember(key: "weeklyHours", value: .number(String(self.weeklyHours))),
            JSONMember(key: "dateOverrides", value: .number(String(self.dateOverrides))),
            JSONMember(key: "timeOff", value: .number(String(self.timeOff))),
            JSONMember(key: "skippedOwnCalls", value: .number(String(self.skippedOwnCalls))),
        ])
    }
}

extension CalendlySyncReport.Failed {
    var json: JSONValue {
        .object([
            JSONMember(key: "expertId", value: .string(self.expertID.uuidString)),
            JSONMember(key: "message", value: .string(self.message)),
        ])
    }
}
