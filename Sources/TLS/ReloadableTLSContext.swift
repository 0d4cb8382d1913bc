import Synchronization

/// The context new connections start with, replaced by `reload()` (on SIGHUP): connections
/// already open keep the context they started with, so a renewed certificate is served
/// without dropping anyone.
public final class ReloadableTLSContext: Sendable {
    public let files: TLSFiles
    private let context: Mutex<TLSContext>

    /// Loads the files now: start-up stops on a bad certificate or key.
    public init(files: TLSFiles) throws(TLSContextError) {
        self.files = files
        self.context = Mutex(try TLSContext(files: files))
    }

    /// The context a connection accepted now starts with.
    public var current: TLSContext { self.context.withLock { $0 } }

    /// Reads the files again (blocking file I/O: never on an event loop). When they fail to
    /// load this throws and the current context stays in use.
    public func reload() throws(TLSContextError) {
        let fresh = try TLSContext(files: self.files)
        self.context.withLock { $0 = fresh }
    }
}
