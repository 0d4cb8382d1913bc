/// The operator page's files (`Sources/OpsPage/files`), compiled into the binary by the
/// EmbedOpsPage plugin, by name: `index.html`, `main.js`, `style.css`, …
public enum OpsPageFiles {
    public static let byName: [String: [UInt8]] = Dictionary(
        uniqueKeysWithValues: embedded.map { ($0.name, Array($0.text.utf8)) })
}
