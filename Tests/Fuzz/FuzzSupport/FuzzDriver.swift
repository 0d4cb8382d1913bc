#if FUZZING
import CLibFuzzer
#endif
import Foundation

/// The `main` of every fuzz target.
///
/// SwiftPM links an executable with `--defsym main=<Module>_main`, so a target needs its
/// `@main` even when libFuzzer drives it: built with `-DFUZZING`, that `main` hands over to
/// `LLVMFuzzerRunDriver`, which reads libFuzzer's flags. In a plain build the same executable
/// replays the files (or every file of the directories) it is given, so the committed corpus
/// and crash reproducers also run in the debug build, without a sanitizer.
public enum FuzzDriver {
    /// `LLVMFuzzerTestOneInput`'s signature; the return value is reserved and must be 0.
    public typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    public static func main(_ testOneInput: TestOneInput) -> Never {
        #if FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
        #else
        exit(self.replay(Array(CommandLine.arguments.dropFirst()), testOneInput))
        #endif
    }

    /// Runs each input once, in a stable order; an input that breaks a property traps, so the
    /// exit status says whether all passed. Hidden files (`.gitkeep`) are not inputs.
    static func replay(_ paths: [String], _ testOneInput: TestOneInput) -> Int32 {
        let name = CommandLine.arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "fuzz target"
        guard !paths.isEmpty else {
            FileHandle.standardError.write(Data("usage: \(name) <corpus directory or input file>...\n".utf8))
            return 2
        }
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("\(name): \(path) does not exist\n".utf8))
                return 2
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                files += names.filter { !$0.hasPrefix(".") }.sorted().map { path + "/" + $0 }
            } else {
                files.append(path)
            }
        }
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("\(name): cannot read \(file)\n".utf8))
                return 1
            }
            let bytes = [UInt8](data)
            _ = bytes.withUnsafeBufferPointer { testOneInput($0.baseAddress, $0.count) }
        }
        print("\(name): \(files.count) inputs replayed")
        return 0
    }
}
