extension AsyncStream where Element: Sendable {
    /// The next element, or nil when the stream ended or none came within `timeout`. A timeout
    /// cancels the wait, which ends an `AsyncStream` for good: use it last, or for a value that
    /// must come.
    public func next(within timeout: Duration) async -> Element? {
        await withTaskGroup(of: Element?.self) { group in
            group.addTask {
                var iterator = self.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
