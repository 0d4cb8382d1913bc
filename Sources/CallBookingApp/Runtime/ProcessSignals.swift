import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM and SIGINT, which shut the process down gracefully instead of letting it die
/// mid-request, and SIGHUP, which reloads what can be reloaded (the TLS certificate), all
/// caught from `install()` on.
///
/// A classic self-pipe: a process-wide handler writes the signal's number to a pipe (`write` is
/// async-signal-safe) and one thread reads it. Whichever thread the kernel picks runs the
/// handler, so no signal is lost. Dispatch signal sources were lost now and then on Linux:
/// libdispatch reads them through a signalfd while only its own thread blocks them, so a
/// SIGTERM could go to another thread, find the disposition ignored and vanish, and the
/// process never stopped. Call `install()` first in `main`: a signal during start-up then
/// takes effect once the service is up.
public struct ProcessSignals: Sendable {
    private let shutdowns: AsyncStream<Int32>
    /// One element per SIGHUP (several close together may arrive as fewer: each reload reads
    /// the files as they are then).
    public let reloads: AsyncStream<Void>

    public static func install() -> ProcessSignals {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { fatalError("cannot create the signal pipe: errno \(errno)") }
        signalPipeWriteEnd = ends[1]
        let readEnd = ends[0]
        for number in [SIGTERM, SIGINT, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalPipeWriteEnd, &byte, 1)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(SA_RESTART)
            sigaction(number, &action, nil)
        }
        let (shutdowns, shutdown) = AsyncStream.makeStream(of: Int32.self)
        let (reloads, reload) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let reader = Thread {
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count == 1 {
                    if Int32(byte) == SIGHUP { reload.yield() } else { shutdown.yield(Int32(byte)) }
                } else if count == 0 || errno != EINTR {
                    return
                }
            }
        }
        reader.name = "signals"
        reader.start()
        return ProcessSignals(shutdowns: shutdowns, reloads: reloads)
    }

    /// The first SIGTERM or SIGINT received (also one received before this call). Call once.
    public func shutdownRequested() async -> Int32 {
        for await number in self.shutdowns { return number }
        return 0
    }
}

/// Written once by `install()` before the handler exists, then only read by the handler.
private nonisolated(unsafe) var signalPipeWriteEnd: Int32 = -1
