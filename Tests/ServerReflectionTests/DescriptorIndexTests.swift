import ProtoDescriptors
import Testing

@testable import ServerReflection

@Suite struct DescriptorIndexTests {
    /// `FileDescriptorProto{name, dependency...}` in protobuf.
    private func file(_ name: String, importing dependencies: [String] = []) -> [UInt8] {
        var bytes: [UInt8] = [0x0A, UInt8(name.utf8.count)] + Array(name.utf8)
        for dependency in dependencies { bytes += [0x1A, UInt8(dependency.utf8.count)] + Array(dependency.utf8) }
        return bytes
    }

    @Test func everyGeneratedFileIsIndexedWithItsImports() throws {
        let index = try DescriptorIndex(base64: ProtoDescriptors.files)
        for (name, _) in ProtoDescriptors.files {
            #expect(index.file(named: name)?.name == name)
        }
    }

    @Test func aMissingImportStopsTheStart() {
        #expect(throws: DescriptorIndex.InvalidDescriptors.self) {
            try DescriptorIndex(files: [self.file("a.proto", importing: ["b.proto"])])
        }
    }

    @Test func bytesThatAreNoDescriptorStopTheStart() {
        #expect(throws: DescriptorIndex.InvalidDescriptors.self) { try DescriptorIndex(files: [[0x0A, 0x05, 0x61]]) }
        #expect(throws: DescriptorIndex.InvalidDescriptors.self) { try DescriptorIndex(base64: [("a.proto", "not base64!")]) }
    }

    @Test func importsFollowTheFileBreadthFirstAndOnce() throws {
        let index = try DescriptorIndex(files: [
            self.file("c.proto"), self.file("b.proto", importing: ["c.proto"]),
            self.file("a.proto", importing: ["b.proto", "c.proto"]),
        ])
        var sent: Set<String> = []
        let a = try #require(index.file(named: "a.proto"))
        let names = try index.fileWithDependencies(a, notIn: &sent).map { try FileDescriptorOutline(serializedBytes: $0).name }
        #expect(names == ["a.proto", "b.proto", "c.proto"])
        #expect(sent == ["a.proto", "b.proto", "c.proto"])
    }
}
