import BookingDomain
import Foundation
import StreamVideo

/// CreateCallToken's rules (CONTRACT "Stream tokens"), apart from I/O so they test alone:
/// the expert joins as `host` (screen sharing, recording), the customer as `call_member`, an
/// admin as `admin`; `iat` is now − 5 s, `exp` the scheduled end + `STREAM_TOKEN_GRACE_MINUTES`,
/// no `nbf`. Cancelled and completed calls get no token.
struct CallTokenIssuer: Sendable {
    let configuration: StreamConfiguration

    static let expertRole = "host"
    static let customerRole = "call_member"
    static let adminRole = "admin"
    /// Stream's SDKs back-date `iat` by this much for clock skew.
    static let issuedAtSkew: TimeInterval = 5

    struct Issued: Sendable, Equatable {
        var token: String
        var claims: StreamTokens.CallClaims
        var room: VideoRoomName
    }

    /// The caller must already be allowed to access the call (`AccessPolicy.mayAccess`).
    func issue(for call: Call, to caller: Principal, now: Date) throws(BookingError) -> Issued {
        switch call.state {
        case .cancelled, .completed:
            throw .failedPrecondition("the call is \(call.state): it has no video to join")
        case .scheduled, .inProgress, .noShow:
            break
        }
        let expiresAt = call.scheduledEnd.addingTimeInterval(Self.seconds(self.configuration.tokenGrace))
        guard expiresAt > now else {
            throw .failedPrecondition("the call ended at \(call.scheduledEnd): its video can no longer be joined")
        }
        let room = VideoRoomName(callType: self.configuration.callType, call: call.id)
        let claims = StreamTokens.CallClaims(
            userID: caller.userID, callCIDs: [room.cid], role: Self.role(of: caller, in: call),
            issuedAt: now.addingTimeInterval(-Self.issuedAtSkew), expiresAt: expiresAt)
        return Issued(token: StreamTokens.callToken(claims, secret: self.configuration.secret), claims: claims, room: room)
    }

    /// The call-level role: the call's expert hosts; its customer is a member; an admin who is
    /// neither joins as `admin`.
    static func role(of caller: Principal, in call: Call) -> String {
        if caller.role == .expert, call.expertID != nil, caller.expertID == call.expertID { return Self.expertRole }
        if !call.customer.userID.isEmpty, call.customer.userID == caller.userID, caller.role == .customer {
            return Self.customerRole
        }
        return Self.adminRole
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
