import BookingDomain
import BookingStore
import Clerk
import Foundation
import Observability
import RPC

/// Verifies the Clerk session token of a request (gRPC metadata or HTTP header
/// `authorization: Bearer …`, else the `__session` cookie) and links experts to their record.
/// Every failure is UNAUTHENTICATED without detail: a client learns nothing about why a
/// forged token failed, and the log gets the reason.
struct ClerkAuthenticator: CallerAuthenticator {
    let verifier: SessionTokenVerifier
    let experts: ExpertRepository
    let now: @Sendable () -> Date

    func authenticate(_ context: RPCContext) async throws -> Principal {
        guard
            let token = SessionCredentials.token(
                authorization: context.metadata["authorization"], cookies: context.metadata.values("cookie"))
        else { throw RPCError(.unauthenticated, SessionCredentials.missingMessage) }
        let session: VerifiedSession
        do {
            session = try await self.verifier.verify(token, now: self.now())
        } catch {
            OperationsMetrics.sessionTokenRejected(reason: error.reason.description)
            context.logger.info("rejected a session token", metadata: ["reason": "\(error)"])
            throw RPCError(.unauthenticated, "the session token is not valid")
        }
        let role: Principal.Role
        switch session.role {
        case .admin: role = .admin
        case .expert: role = .expert
        case .customer: role = .customer
        }
        let expertID = role == .expert ? try await self.experts.find(clerkUserID: session.userID)?.id : nil
        return Principal(
            userID: session.userID, role: role, email: session.email, emailVerified: session.emailVerified,
            sessionID: session.sessionID, expertID: expertID)
    }
}
