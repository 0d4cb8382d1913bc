import Foundation
import PackagePlugin

/// Runs OpsPageEmbedder over the files in the target's `files` directory, producing one Swift
/// source that holds them as string literals. The directory is listed on every build, so a
/// file added there is picked up without touching Package.swift.
@main
struct EmbedOpsPage: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let directory = context.package.directoryURL.appending(path: "Sources/\(target.name)/files")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path(percentEncoded: false))
            .filter { !$0.hasPrefix(".") }
            .sorted()
        let inputs = names.map { directory.appending(path: $0) }
        let output = context.pluginWorkDirectoryURL.appending(path: "OpsPageFiles+Embedded.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(names.count) operator page files",
                executable: try context.tool(named: "OpsPageEmbedder").url,
                arguments: [output.path(percentEncoded: false)] + inputs.map { $0.path(percentEncoded: false) },
                inputFiles: inputs,
                outputFiles: [output])
        ]
    }
}
