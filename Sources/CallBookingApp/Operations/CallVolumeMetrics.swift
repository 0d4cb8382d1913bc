import BookingDomain
import Observability

/// Call volume, outcome and duration as metrics, from the changes the store committed
/// (`CallRepository`'s `committed`): what each change means is the domain's (`books`,
/// `finishes`, `completedDuration`), the names are `OperationsMetrics`'.
enum CallVolumeMetrics {
    static func record(_ changes: [CallChange]) {
        for change in changes {
            if change.books { OperationsMetrics.callBooked(source: change.call.bookingSource.rawValue) }
            if let state = change.finishes {
                OperationsMetrics.callFinished(
                    state: state.rawValue.lowercased(), noShowParty: change.call.noShowParty?.rawValue.lowercased() ?? "none")
            }
            if let duration = change.completedDuration { OperationsMetrics.callLasted(seconds: duration) }
        }
    }
}
