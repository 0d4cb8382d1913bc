/// Stops the process when a property every input must keep is broken. libFuzzer sees the trap
/// as a crash and saves the input as a reproducer; a replay exits non-zero.
public func requireProperty(
    _ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #file, line: UInt = #line
) {
    if !condition { propertyBroken(message(), file: file, line: line) }
}

public func propertyBroken(_ message: String, file: StaticString = #file, line: UInt = #line) -> Never {
    fatalError("fuzz property broken: \(message)", file: file, line: line)
}

/// Input bytes for a failure message: printable ASCII as is, the rest escaped, cut at `limit`.
public func escaped(_ bytes: [UInt8], limit: Int = 300) -> String {
    var text = ""
    for byte in bytes.prefix(limit) {
        switch byte {
        case 0x20..<0x7F where byte != UInt8(ascii: "\\"): text.unicodeScalars.append(Unicode.Scalar(byte))
        default: text += "\\x" + String(byte, radix: 16).leftPadded(to: 2)
        }
    }
    return bytes.count > limit ? text + "… (\(bytes.count) bytes)" : text
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - self.count)) + self
    }
}
