import OutboundHTTP
import BookingAPI
import BookingDomain
import BookingStore
import Foundation
import Logging
import Observability
import ProtoWire
import RPC
import StreamVideo

/// The video side of CallService: tokens to join a call's Stream room, and its recordings.
struct VideoService: Sendable {
    let calls: CallRepository
    let video: VideoRepository
    let issuer: CallTokenIssuer
    let stream: StreamClient
    let claims: BookingClaims
    /// Calls as tokens last read them (see `JoinableCallCache` for how stale they may be).
    let joinable: JoinableCallCache
    let authenticator: any CallerAuthenticator
    let logger: Logger
    let now: @Sendable () -> Date

    /// A stored URL this close to expiry is refreshed before it is handed out.
    static let urlExpiryMargin: TimeInterval = 60

    func register(in router: inout RPCRouter) {
        let service = self
        let auth = self.authenticator
        router.register(CallServiceMethods.createCallToken) { request, context in
            try await service.token(request, by: auth.authenticate(context))
        }
        router.register(CallServiceMethods.listCallRecordings) { request, context in
            try await service.recordings(request, by: auth.authenticate(context))
        }
    }

    /// CreateCallToken for the authenticated participant (or an admin).
    func token(_ request: CreateCallTokenRequest, by caller: Principal) async throws -> CallToken {
        let call = try await self.find(request.callID, for: caller, from: self.joinable)
        let issued: CallTokenIssuer.Issued
        do {
            try AccessPolicy.mayAccess(call, as: caller, action: "joining this call's video")
        } catch {
            OperationsMetrics.callTokenFailed(reason: "not_a_participant")
            throw error
        }
        do {
            issued = try self.issuer.issue(for: call, to: caller, now: self.now())
        } catch {
            OperationsMetrics.callTokenFailed(reason: "call_not_joinable")
            throw error
        }
        return CallToken.with {
            $0.token = issued.token
            $0.apiKey = self.issuer.configuration.apiKey
            $0.userID = issued.claims.userID
            $0.callType = issued.room.callType
            $0.callID = issued.room.callID
            $0.role = issued.claims.role
            $0.expiresAt = Timestamp(date: issued.claims.expiresAt)
        }
    }

    /// ListCallRecordings: the stored recordings; when a signed URL has expired (or its expiry
    /// is unknown) the list is fetched from Stream first and the fresh URLs stored. Stream being
    /// unreachable is logged and the stored list answered: a stale link beats no list.
    func recordings(_ request: ListCallRecordingsRequest, by caller: Principal) async throws
        -> ListCallRecordingsResponse
    {
        let call = try await self.find(request.callID, for: caller)
        try AccessPolicy.mayAccess(call, as: caller, action: "listing this call's recordings")
        var stored = try await self.video.recordings(of: call.id)
        let freshUntil = self.now().addingTimeInterval(Self.urlExpiryMargin)
        if stored.contains(where: { ($0.urlExpiresAt ?? .distantPast) <= freshUntil }) {
            let room = VideoRoomName(callType: self.issuer.configuration.callType, call: call.id)
            do {
                let listed = try await self.stream.listRecordings(callID: room.callID)
                try await self.video.storeRecordings(listed.map(VideoRepository.NewRecording.init), of: call.id)
                stored = try await self.video.recordings(of: call.id)
            } catch let error as ProviderError {
                self.logger.warning(
                    "could not refresh recording URLs from Stream",
                    metadata: ["call": "\(call.id)", "error": "\(error)"])
            }
        }
        var response = ListCallRecordingsResponse()
        response.recordings = stored.map { recording in
            Recording.with {
                $0.id = recording.id
                $0.callID = recording.callID.uuidString
                $0.url = recording.url
                $0.filename = recording.filename
                $0.startTime = recording.start.map(Timestamp.init(date:))
                $0.endTime = recording.end.map(Timestamp.init(date:))
            }
        }
        return response
    }

    /// The call, after a customer's unclaimed bookings with their verified email became theirs
    /// (CONTRACT "Who may do what"), as GetCall does. With `cache`, a call it has is answered
    /// from it, and one read from the database is kept there.
    private func find(
        _ id: String, for caller: Principal, from cache: JoinableCallCache? = nil
    ) async throws -> BookingDomain.Call {
        let callID = try CallID(validating: id, field: "call_id")
        // A claim updates the calls it claims, which forgets them in the cache first.
        try await self.claims.claimOnce(for: caller)
        if let call = cache?.call(callID) { return call }
        let generation = cache?.generation
        guard let call = try await self.calls.find(callID) else { throw BookingError.notFound("no call \(id)") }
        if let cache, let generation { cache.keep(call, readAfter: generation) }
        return call
    }
}

extension VideoRepository.NewRecording {
    /// A recording as Stream describes it; its URL's expiry read from the URL itself.
    init(_ recording: StreamRecording) {
        self.init(
            filename: recording.filename, url: recording.url, start: recording.startTime, end: recording.endTime,
            sessionID: recording.sessionID, recordingType: recording.recordingType, urlExpiresAt: recording.urlExpiry)
    }
}
