import BookingAPI
import BookingDomain
import ProtoWire

/// Domain calls as `loop.callbooking.v1.Call`. Only here do messages and domain meet.
extension BookingAPI.Call {
    /// `showCandidates`: every candidate's score is for admins only (CONTRACT.md).
    /// `videoCallType` (`STREAM_CALL_TYPE`) and the call's id name its Stream room.
    init(_ call: BookingDomain.Call, showCandidates: Bool, videoCallType: String) {
        self.init()
        self.id = call.id.uuidString
        self.state = BookingAPI.CallState(call.state)
        self.noShowParty = call.noShowParty.map(BookingAPI.NoShowParty.init) ?? .unspecified
        self.expertID = call.expertID?.uuidString ?? ""
        self.assignment = call.assignment.map { BookingAPI.Assignment($0, showCandidates: showCandidates) }
        self.customer = BookingAPI.Customer(call.customer)
        self.topic = call.topic
        self.customerContext = call.customerContext.map { answer in
            BookingAPI.QuestionAnswer.with {
                $0.question = answer.question
                $0.answer = answer.answer
            }
        }
        self.scheduledStart = Timestamp(date: call.scheduledStart)
        self.scheduledEnd = Timestamp(date: call.scheduledEnd)
        self.startedAt = call.startedAt.map(Timestamp.init(date:))
        self.endedAt = call.endedAt.map(Timestamp.init(date:))
        self.cancellationReason = call.cancellationReason ?? ""
        self.rescheduledFromCallID = call.rescheduledFrom?.uuidString ?? ""
        self.rescheduledToCallID = call.rescheduledTo?.uuidString ?? ""
        self.calendlyEventURI = call.calendlyEventURI ?? ""
        self.calendlyInviteeURI = call.calendlyInviteeURI ?? ""
        let room = VideoRoomName(callType: videoCallType, call: call.id)
        self.video = VideoRoom.with {
            $0.callType = room.callType
            $0.callID = room.callID
        }
        self.createdAt = Timestamp(date: call.createdAt)
        self.updatedAt = Timestamp(date: call.updatedAt)
        self.preparationInstructions = call.preparationInstructions
        self.customerLocalStart = call.customerLocalStart ?? ""
        self.expertLocalStart = call.expertLocalStart ?? ""
    }
}

extension BookingAPI.Customer {
    init(_ customer: BookingDomain.Customer) {
        self.init()
        self.userID = customer.userID
        self.email = customer.email
        self.name = customer.name
        self.timezone = customer.timeZone
    }
}

extension BookingDomain.Customer {
    init(_ message: BookingAPI.Customer?) {
        self.init(
            userID: message?.userID ?? "", email: message?.email ?? "", name: message?.name ?? "",
            timeZone: message?.timezone ?? "")
    }
}

extension BookingAPI.CallState {
    init(_ state: BookingDomain.CallState) {
        switch state {
        case .scheduled: self = .scheduled
        case .inProgress: self = .inProgress
        case .completed: self = .completed
        case .cancelled: self = .cancelled
        case .noShow: self = .noShow
        }
    }
}

extension BookingAPI.NoShowParty {
    init(_ party: BookingDomain.NoShowParty) {
        switch party {
        case .customer: self = .customer
        case .expert: self = .expert
        case .both: self = .both
        }
    }
}

extension BookingAPI.Assignment {
    init(_ assignment: BookingDomain.Assignment, showCandidates: Bool) {
        self.init()
        switch assignment.reason {
        case .requested: self.reason = .requested
        case .matched: self.reason = .matched
        case .calendlyHost: self.reason = .calendlyHost
        case .reassigned: self.reason = .reassigned
        }
        self.note = assignment.note
        guard showCandidates else { return }
        self.candidates = assignment.candidates.map { candidate in
            BookingAPI.CandidateScore.with {
                $0.expertID = candidate.expertID.uuidString
                $0.score = candidate.score
                $0.explanation = candidate.explanation
            }
        }
    }
}
