import BookingDomain
import Foundation
import Testing
import TestSupport

@testable import BookingStore

/// The store side of Calendly deliveries: effects inside the ledger's transaction, lookups by
/// invitee and host, and the undo point of a no-show.
@Suite struct CalendlyStoreTests {
    static func calendlyCall(_ expert: ExpertID?, _ start: String, invitee: String) -> Call {
        let start = Date.utc(start)
        return Call(
            id: CallID(UUID()), expertID: expert, customer: Customer(email: "dana@example.org"), topic: "Consultation",
            scheduledStart: start, scheduledEnd: start + 1800, calendlyInviteeURI: invitee, createdAt: start,
            updatedAt: start)
    }

    @Test func aCallInsertedInTheLedgersTransactionIsFoundByItsInvitee() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let ledger = WebhookDeliveryLedger(calls: store.calls)
            let call = Self.calendlyCall(expert, "2030-01-07T09:00:00Z", invitee: "https://api.calendly.com/i/1")
            let result = try await ledger.apply(provider: .calendly, key: "k1", event: "invitee.created") { transaction in
                let stored = try transaction.insert(transaction.lifecycle.book(call), requestID: nil, specialty: "", actor: "calendly")
                return .init(stored.id, summary: "booked", callID: stored.id.uuid)
            }
            guard case .applied(let id) = result else { Issue.record("must apply"); return }
            let found = try await store.calls.find(calendlyInviteeURI: "https://api.calendly.com/i/1")
            #expect(found?.id == id && found?.expertID == expert)
            #expect(try await store.calls.find(calendlyInviteeURI: "https://api.calendly.com/i/2") == nil)
        }
    }

    @Test func aDoubleBookingInTheEffectRollsBackTheDeliveryToo() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            try await store.book(expert, "2030-01-07T09:00:00Z")
            let ledger = WebhookDeliveryLedger(calls: store.calls)
            let call = Self.calendlyCall(expert, "2030-01-07T09:15:00Z", invitee: "https://api.calendly.com/i/3")
            await #expect(throws: StoreError.self) {
                _ = try await ledger.apply(provider: .calendly, key: "k3", event: "invitee.created") { transaction in
                    let stored = try transaction.insert(transaction.lifecycle.book(call), requestID: nil, specialty: "", actor: "calendly")
                    return .init(stored.id, summary: "booked")
                }
            }
            // Nothing recorded: the retry (with another expert, or none) applies.
            #expect(try await !ledger.contains(provider: .calendly, key: "k3"))
            #expect(try await store.calls.find(calendlyInviteeURI: "https://api.calendly.com/i/3") == nil)
            let unassigned = Self.calendlyCall(nil, "2030-01-07T09:15:00Z", invitee: "https://api.calendly.com/i/3")
            let retry = try await ledger.apply(provider: .calendly, key: "k3", event: "invitee.created") { transaction in
                .init(
                    try transaction.insert(transaction.lifecycle.book(unassigned), requestID: nil, specialty: "", actor: "calendly").id,
                    summary: "booked")
            }
            guard case .applied = retry else { Issue.record("the retry must apply"); return }
        }
    }

    @Test func theStateBeforeANoShowComesFromTheLatestMoveIntoIt() async throws {
        try await Store.withFresh { store in
            let expert = try await store.expert()
            let call = try await store.book(expert, "2030-01-07T09:00:00Z", calendly: true)
            func before() async throws -> CallState? {
                try await store.calls.transaction { try $0.stateBeforeNoShow(call.id) }
            }
            #expect(try await before() == nil)
            try await store.setState(call.id, .noShow, party: .customer)
            #expect(try await before() == .scheduled)
            try await store.setState(call.id, .scheduled)
            try await store.calls.change(call.id, actor: "test") { current, transaction in
                transaction.lifecycle.start(current, at: Date.utc("2030-01-07T09:01:00Z"))
            }
            try await store.setState(call.id, .noShow, party: .customer)
            // Widening the party is logged NO_SHOW -> NO_SHOW and is not the undo point.
            try await store.setState(call.id, .noShow, party: .both)
            #expect(try await before() == .inProgress)
        }
    }

    @Test func aHostIsFoundByCalendlyURIFirstThenByEmailIgnoringCase() async throws {
        try await Store.withFresh { store in
            let byEmail = try await store.expert(email: "coach@example.com")
            let linked = Expert(
                id: ExpertID(UUID()), name: "Linked", email: "linked@example.com", timeZone: "UTC",
                calendlyUserURI: "https://api.calendly.com/users/HOST1")
            try await store.experts.insert(linked)
            let experts = store.experts
            #expect(try await experts.find(calendlyUserURI: "https://api.calendly.com/users/HOST1", orEmail: "coach@example.com")?.id == linked.id)
            #expect(try await experts.find(calendlyUserURI: "https://api.calendly.com/users/OTHER", orEmail: "Coach@Example.com")?.id == byEmail)
            #expect(try await experts.find(calendlyUserURI: "https://api.calendly.com/users/OTHER", orEmail: nil) == nil)
            #expect(try await experts.find(calendlyUserURI: "https://api.calendly.com/users/OTHER", orEmail: "") == nil)
        }
    }
}
