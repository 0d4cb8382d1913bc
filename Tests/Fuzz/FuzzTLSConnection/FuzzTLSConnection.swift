import Foundation
import FuzzSupport
import Logging
import NIOCore
import NIOEmbedded
import TLS
import Transport

/// Bytes from the network into a TLS connection built as the server builds one
/// (`HTTPServer.installConnectionHandlers` with a TLS context: `TLSHandler`, back-pressure, the
/// protocol sniffer). The first byte picks how the rest is split into reads; the clock then
/// moves past every deadline. A fuzzer cannot finish a handshake (that takes the client's
/// half of a key exchange), so every input ends in a ClientHello OpenSSL refuses, one it
/// answers and then waits on, or bytes that are not TLS at all.
///
/// Properties: nothing traps or leaks; no request reaches the responder, since nothing was
/// decrypted; and the connection is closed once the header timeout has passed, however its
/// handshake went.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let mode = input.takeByte()
    let bytes = input.takeRest()
    let responder = CountingResponder()
    let channel = EmbeddedChannel(loop: EmbeddedEventLoop())
    do {
        var configuration = HTTPServer.Configuration()
        configuration.tls = tls
        try HTTPServer.installConnectionHandlers(
            on: channel, responder: responder, configuration: configuration, logger: logger)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
    } catch {
        propertyBroken("could not set up the connection: \(error)")
    }
    let readSize = max(1, Int(mode & 0xF) * 61)
    channel.feed(bytes, readSize: readSize)
    channel.embeddedEventLoop.advanceTime(by: HTTPServer.Configuration().limits.headerTimeout + .seconds(1))
    requireProperty(!channel.isActive, "a connection outlived the header timeout: \(escaped(bytes))")
    requireProperty(responder.requests == 0, "a request reached the responder without a handshake: \(escaped(bytes))")
    _ = try? channel.finish(acceptAlreadyClosed: true)
    return 0
}

private let logger = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })

/// A throwaway certificate and key, made once per process with the `openssl` command (spawned
/// directly: Foundation's `Process` keeps an allocation that LeakSanitizer reports).
private let tls: ReloadableTLSContext = {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-tls-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let files = TLSFiles(
        certificateChain: directory.appendingPathComponent("cert.pem").path,
        privateKey: directory.appendingPathComponent("key.pem").path)
    let arguments = [
        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
        "-subj", "/CN=localhost", "-keyout", files.privateKey, "-out", files.certificateChain,
    ]
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var quiet = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&quiet)
    defer { posix_spawn_file_actions_destroy(&quiet) }
    posix_spawn_file_actions_addopen(&quiet, 2, "/dev/null", O_WRONLY, 0)
    var pid: pid_t = 0
    var status: Int32 = 0
    guard posix_spawnp(&pid, "openssl", &quiet, nil, &argv, environ) == 0, waitpid(pid, &status, 0) == pid, status == 0
    else {
        propertyBroken("cannot make the fuzz target's certificate with openssl (status \(status))")
    }
    do {
        return try ReloadableTLSContext(files: files)
    } catch {
        propertyBroken("cannot load the fuzz target's certificate: \(error)")
    }
}()

/// Counts the requests that reach it; none should.
private final class CountingResponder: HTTPResponder, @unchecked Sendable {
    final class Request: RequestHandler {
        func receiveBody(_ buffer: ByteBuffer) {}
        func receiveEnd() {}
        func cancel() {}
    }

    var requests = 0

    func makeRequestHandler(head: RequestHead, writer: ResponseWriter) -> any RequestHandler {
        self.requests += 1
        return Request()
    }
}

@main
enum Main {
    static func main() {
        FuzzDriver.main(testOneInput)
    }
}
