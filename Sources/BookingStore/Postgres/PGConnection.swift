import CLibPQ
import Foundation

/// One libpq connection: owns its `PGconn*` and closes it (`PQfinish`) in deinit.
///
/// Every method blocks the calling thread on the network, so a connection is only used inside
/// `PGPool.withConnection`, on one of the pool's `NIOThreadPool` threads, never on an event loop
/// and never from two threads at once (libpq connections are not thread-safe). Hence not
/// `Sendable`; the pool moves it between threads under its lease (see `PooledConnection`).
///
/// Statements go through `PQprepare` once per SQL text and `PQexecPrepared` afterwards, with
/// text-format parameters: one round trip per statement after the first use.
public final class PGConnection {
    let handle: OpaquePointer
    /// SQL text → server-side statement name. Repositories use a fixed set of statements, so
    /// this stays small; past `maxPreparedStatements` new texts run unprepared.
    private var preparedStatements: [String: String] = [:]
    private static let maxPreparedStatements = 256

    /// Set when the server or the network dropped the connection (or a protocol state we cannot
    /// recover from). The pool discards broken connections instead of reusing them.
    public internal(set) var isBroken = false
    private var statementNames = 0

    private init(handle: OpaquePointer) {
        self.handle = handle
        // libpq prints NOTICEs ("schema already exists, skipping") to stderr by default.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
    }

    deinit {
        PQfinish(self.handle)
    }

    /// Opens a connection. Blocks for up to `connectTimeoutSeconds` per address.
    ///
    /// Session settings travel in the startup packet's `options` (no extra round trip):
    /// `statement_timeout` from the configuration, `TimeZone=UTC` and `DateStyle=ISO` so
    /// timestamps read back in the one format `PGTimestamp` parses.
    @available(*, noasync, message: "blocks the thread: connect through PGPool")
    public static func connect(_ configuration: PGConfiguration) throws(StoreError) -> PGConnection {
        let existing = try Self.parseConninfo(configuration.url)
        var options = existing["options"].map { $0 + " " } ?? ""
        options += "-c statement_timeout=\(configuration.statementTimeoutMilliseconds)"
        options += " -c TimeZone=UTC -c DateStyle=ISO,MDY -c IntervalStyle=postgres"
        let parameters: [(String, String)] = [
            ("dbname", configuration.url),  // expanded first; later pairs override what it says
            ("connect_timeout", existing["connect_timeout"] ?? String(configuration.connectTimeoutSeconds)),
            ("application_name", existing["application_name"] ?? configuration.applicationName),
            ("client_encoding", "UTF8"),
            ("options", options),
        ]
        let connection: OpaquePointer? = withCStrings(parameters.map(\.0)) { keywords in
            withCStrings(parameters.map(\.1)) { values in
                PQconnectdbParams(keywords, values, 1)
            }
        }
        guard let connection else { throw .unavailable("libpq could not allocate a connection") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.trimmedMessage(PQerrorMessage(connection))
            PQfinish(connection)
            throw .unavailable("cannot connect to PostgreSQL: \(message)")
        }
        return PGConnection(handle: connection)
    }

    /// Runs one parameterized statement and copies its result out. `params[i]` is `$<i+1>`,
    /// `nil` is NULL.
    @available(*, noasync, message: "blocks the thread: run it inside PGPool.withConnection")
    @discardableResult
    public func execute(_ sql: String, _ params: [(any PGValue)?] = []) throws(StoreError) -> PGResult {
        guard !self.isBroken else { throw StoreError(code: .connectionLost, message: "connection is broken") }
        var encoded = try EncodedParameters(params)
        if let name = try self.preparedName(for: sql) {
            let result = encoded.withPointers { pointers in
                PQexecPrepared(self.handle, name, Int32(pointers.count), pointers, nil, nil, 0)
            }
            do {
                return try self.consume(result)
            } catch where error.sqlState == "0A000" {
                // "cached plan must not change result type": a migration altered a table under
                // this statement. Forget it so the next call prepares it again.
                self.preparedStatements[sql] = nil
                _ = self.simpleQueryIgnoringErrors("DEALLOCATE \(name)")
                throw error
            }
        }
        let result = encoded.withPointers { pointers in
            PQexecParams(self.handle, sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
        }
        return try self.consume(result)
    }

    /// The backend process id, for `pg_terminate_backend` in tests and for logs.
    public var backendPID: Int32 { PQbackendPID(self.handle) }

    // MARK: Module-internal: transactions, migrations, pool housekeeping.

    /// Simple-query protocol (`PQexec`): no parameters, several statements allowed. Only for
    /// fixed SQL written in this module (BEGIN/COMMIT, migrations), never for values.
    @discardableResult
    func simpleQuery(_ sql: String) throws(StoreError) -> PGResult {
        guard !self.isBroken else { throw StoreError(code: .connectionLost, message: "connection is broken") }
        return try self.consume(PQexec(self.handle, sql))
    }

    private func simpleQueryIgnoringErrors(_ sql: String) -> Bool {
        (try? self.simpleQuery(sql)) != nil
    }

    /// Notices a connection the server closed while it sat idle in the pool (restart,
    /// `pg_terminate_backend`): the socket is non-blocking inside libpq, so `PQconsumeInput`
    /// reads what is there without waiting, and EOF turns the status to CONNECTION_BAD.
    func checkAlive() -> Bool {
        if !self.isBroken, PQconsumeInput(self.handle) == 0 || PQstatus(self.handle) != CONNECTION_OK {
            self.isBroken = true
        }
        return !self.isBroken
    }

    /// Called when a lease ends: a body that left a transaction open (or failed inside one) must
    /// not hand it to the next caller. Anything but idle or an open transaction that rolls back
    /// cleanly marks the connection broken.
    func resetAfterLease() {
        guard !self.isBroken else { return }
        switch PQtransactionStatus(self.handle) {
        case PQTRANS_IDLE:
            return
        case PQTRANS_INTRANS, PQTRANS_INERROR:
            if !self.simpleQueryIgnoringErrors("ROLLBACK") { self.isBroken = true }
        default:
            self.isBroken = true
        }
    }

    var isInTransaction: Bool {
        let status = PQtransactionStatus(self.handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    // MARK: Private

    /// The statement's name on this connection, preparing it on first use; nil when the cache is
    /// full (the caller then runs it unprepared).
    private func preparedName(for sql: String) throws(StoreError) -> String? {
        if let name = self.preparedStatements[sql] { return name }
        guard self.preparedStatements.count < Self.maxPreparedStatements else { return nil }
        // Names only ever grow: a statement dropped from the cache (0A000) may still exist on
        // the server, so its name must not be handed out again.
        self.statementNames += 1
        let name = "cb_\(self.statementNames)"
        try self.consume(PQprepare(self.handle, name, sql, 0, nil))
        self.preparedStatements[sql] = name
        return name
    }

    /// Copies a `PGresult` out and clears it. The pointer is scoped to this call (cleared by the
    /// `defer` below, never stored), so it needs no owner class of its own.
    @discardableResult
    private func consume(_ result: OpaquePointer?) throws(StoreError) -> PGResult {
        guard let result else { throw self.connectionError() }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY else {
            if status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
                self.isBroken = true  // COPY is not supported; the protocol state is lost
                return PGResult(columns: [], cells: [], affectedRows: 0)
            }
            var error = Self.serverError(result)
            if PQstatus(self.handle) != CONNECTION_OK {
                self.isBroken = true
                error.code = .connectionLost
            }
            throw error
        }
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var columns: [String] = []
        columns.reserveCapacity(columnCount)
        for column in 0..<columnCount {
            columns.append(PQfname(result, Int32(column)).map { String(cString: $0) } ?? "?column?")
        }
        var cells: [String?] = []
        cells.reserveCapacity(rowCount * columnCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) != 0 {
                    cells.append(nil)
                } else if let value = PQgetvalue(result, row, column) {
                    let length = Int(PQgetlength(result, row, column))
                    let bytes = UnsafeRawBufferPointer(start: value, count: length)
                    cells.append(String(decoding: bytes, as: UTF8.self))
                } else {
                    cells.append(nil)
                }
            }
        }
        let affected = PQcmdTuples(result).map { Int(String(cString: $0)) ?? 0 } ?? 0
        return PGResult(columns: columns, cells: cells, affectedRows: affected)
    }

    /// A null result means libpq could not even build one: out of memory or the connection.
    private func connectionError() -> StoreError {
        let message = Self.trimmedMessage(PQerrorMessage(self.handle))
        if PQstatus(self.handle) != CONNECTION_OK {
            self.isBroken = true
            return StoreError(code: .connectionLost, message: message)
        }
        return StoreError(code: .other, message: message)
    }

    private static func serverError(_ result: OpaquePointer) -> StoreError {
        func field(_ code: Character) -> String? {
            guard let ascii = code.asciiValue, let value = PQresultErrorField(result, Int32(ascii)) else { return nil }
            return String(cString: value)
        }
        let sqlState = field("C")
        let message = field("M") ?? Self.trimmedMessage(PQresultErrorMessage(result))
        return StoreError(
            code: sqlState.map(StoreError.code(forSQLState:)) ?? .other,
            sqlState: sqlState, message: message, detail: field("D"), constraint: field("n"))
    }

    static func trimmedMessage(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "unknown libpq error" }
        var text = String(cString: pointer)
        while text.last?.isWhitespace == true { text.removeLast() }
        return text.isEmpty ? "unknown libpq error" : text
    }

    /// Reads the URL with libpq's own parser so settings it already carries (options,
    /// connect_timeout, application_name) are kept rather than overridden.
    private static func parseConninfo(_ url: String) throws(StoreError) -> [String: String] {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(url, &errorMessage) else {
            let message = errorMessage.map { String(cString: $0) } ?? "cannot parse it"
            if let errorMessage { PQfreemem(errorMessage) }
            throw StoreError(code: .other, message: "invalid DATABASE_URL: \(message)")
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var cursor = options
        while let keyword = cursor.pointee.keyword {
            if let value = cursor.pointee.val { values[String(cString: keyword)] = String(cString: value) }
            cursor += 1
        }
        return values
    }
}

@available(*, unavailable)
extension PGConnection: Sendable {}

/// Parameters as one NUL-separated byte buffer and the pointers libpq wants into it: one
/// allocation for the text of all parameters instead of one C string each.
private struct EncodedParameters {
    private var bytes: [UInt8] = [0]  // never empty, so its base address exists
    private var offsets: [Int] = []  // -1 is NULL

    init(_ params: [(any PGValue)?]) throws(StoreError) {
        self.offsets.reserveCapacity(params.count)
        for (index, param) in params.enumerated() {
            guard let param else {
                self.offsets.append(-1)
                continue
            }
            let start = self.bytes.count
            param.appendPGText(to: &self.bytes)
            if self.bytes[start...].contains(0) {
                // A NUL would end the C string early and silently truncate the value.
                throw StoreError(code: .dataException, message: "parameter $\(index + 1) contains a NUL byte")
            }
            self.bytes.append(0)
            self.offsets.append(start)
        }
    }

    mutating func withPointers<R>(_ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let offsets = self.offsets
        return self.bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return body(offsets.map { _ in nil }) }
            let raw = UnsafeRawPointer(base)
            let pointers = offsets.map { offset in
                offset < 0 ? nil : (raw + offset).assumingMemoryBound(to: CChar.self)
            }
            return body(pointers)
        }
    }
}

/// NUL-terminated copies of `strings` for the duration of `body` (libpq's keyword arrays are
/// terminated by a NULL entry).
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies.map { $0.map { UnsafePointer($0) } } + [nil])
}
