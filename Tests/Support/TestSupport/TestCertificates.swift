public import Foundation

/// Throwaway certificates made with the `openssl` command in a fresh directory: a root CA, an
/// intermediate it signed, and a `localhost` server certificate the intermediate signed, whose
/// chain file holds the server certificate and the intermediate (what a CA hands out).
public struct TestCertificates: Sendable {
    public let directory: URL

    public var rootCA: String { self.path("root.pem") }
    public var chain: String { self.path("chain.pem") }
    public var serverKey: String { self.path("server.key") }

    public func path(_ name: String) -> String { self.directory.appendingPathComponent(name).path }

    public init() throws {
        self.directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        try self.openssl("req", "-x509", "-subj", "/CN=Test Root", "-keyout", "root.key", "-out", "root.pem")
        try self.openssl(
            "req", "-x509", "-CA", "root.pem", "-CAkey", "root.key", "-subj", "/CN=Test Intermediate",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign",
            "-keyout", "intermediate.key", "-out", "intermediate.pem")
        try self.makeServerCertificate(named: "server", commonName: "localhost")
        try self.concatenate(["server.pem", "intermediate.pem"], into: "chain.pem")
    }

    /// Another `localhost` certificate from the same intermediate, as a renewal would bring:
    /// `<name>.pem` (chain) and `<name>.key`.
    public func makeServerCertificate(named name: String, commonName: String) throws {
        try self.openssl(
            "req", "-x509", "-CA", "intermediate.pem", "-CAkey", "intermediate.key", "-subj", "/CN=\(commonName)",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-addext", "basicConstraints=critical,CA:FALSE",
            "-addext", "extendedKeyUsage=serverAuth", "-keyout", "\(name).key", "-out", "\(name).pem")
    }

    public func concatenate(_ names: [String], into target: String) throws {
        var data = Data()
        for name in names { data += try Data(contentsOf: self.directory.appendingPathComponent(name)) }
        try self.write(data, to: target)
    }

    public func write(_ data: Data, to name: String) throws {
        try data.write(to: self.directory.appendingPathComponent(name))
    }

    public func remove() {
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// `openssl <command> -newkey ec (P-256) -nodes -days 2 <arguments>` in the directory.
    private func openssl(_ command: String, _ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments =
            [command, "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2"] + arguments
        process.currentDirectoryURL = self.directory
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: ["openssl": "\(command) \(arguments) failed"])
        }
    }
}
