import ProtoWire

/// The .proto files a server describes, indexed by what reflection clients ask for: a file's
/// path, a fully-qualified symbol, an extension. Built once at start from serialized
/// `FileDescriptorProto`s (`ProtoDescriptors.files`) and then only read.
public struct DescriptorIndex: Sendable {
    /// One file: its path, imports and the bytes protoc wrote, served as they are.
    struct File: Sendable {
        let name: String
        let dependencies: [String]
        let bytes: [UInt8]
    }

    /// Why the descriptors cannot be served: a build that would answer wrongly stops at start.
    public struct InvalidDescriptors: Error, CustomStringConvertible {
        public let description: String
    }

    private var files: [String: File] = [:]
    /// Symbol → path of the file declaring it: packages' services, methods, messages, fields,
    /// oneofs, enums, enum values (scoped like their enum, as in C++) and extensions.
    private var fileBySymbol: [String: String] = [:]
    private var messageNames: Set<String> = []
    /// Extended message → extension number → path of the file declaring the extension.
    private var extensions: [String: [Int32: String]] = [:]

    /// `files`: each a serialized `FileDescriptorProto`; every import must be among them.
    public init(files: [[UInt8]]) throws(InvalidDescriptors) {
        for bytes in files {
            let outline: FileDescriptorOutline
            do {
                outline = try FileDescriptorOutline(serializedBytes: bytes)
            } catch {
                throw InvalidDescriptors(description: "a file descriptor does not decode: \(error)")
            }
            guard self.files[outline.name] == nil else {
                throw InvalidDescriptors(description: "\(outline.name) is given twice")
            }
            self.files[outline.name] = File(name: outline.name, dependencies: outline.dependencies, bytes: bytes)
            self.index(outline)
        }
        for file in self.files.values {
            for dependency in file.dependencies where self.files[dependency] == nil {
                throw InvalidDescriptors(description: "\(file.name) imports \(dependency), which is not given")
            }
        }
    }

    /// The files of base64 text, as `ProtoDescriptors.files` holds them.
    public init(base64 files: [(name: String, base64: String)]) throws(InvalidDescriptors) {
        var decoded: [[UInt8]] = []
        for file in files {
            guard let bytes = Base64.decode(file.base64) else {
                throw InvalidDescriptors(description: "the descriptor of \(file.name) is not base64")
            }
            decoded.append(bytes)
        }
        try self.init(files: decoded)
    }

    func file(named name: String) -> File? {
        self.files[name]
    }

    func file(containingSymbol symbol: String) -> File? {
        self.fileBySymbol[symbol].flatMap { self.files[$0] }
    }

    func file(extending message: String, number: Int32) -> File? {
        self.extensions[message]?[number].flatMap { self.files[$0] }
    }

    /// The extension numbers of a message, ascending; nil when no message has that name.
    func extensionNumbers(of message: String) -> [Int32]? {
        guard self.messageNames.contains(message) else { return nil }
        return (self.extensions[message] ?? [:]).keys.sorted()
    }

    /// `file` first, then every file it imports, directly or not (breadth first), leaving out
    /// those in `sent`, to which all returned files are added (grpc-go's rule: a stream carries
    /// each import once, the file asked for every time).
    func fileWithDependencies(_ file: File, notIn sent: inout Set<String>) -> [[UInt8]] {
        var result = [file.bytes]
        sent.insert(file.name)
        var queue = file.dependencies[...]
        while let name = queue.popFirst() {
            guard !sent.contains(name), let dependency = self.files[name] else { continue }
            sent.insert(name)
            result.append(dependency.bytes)
            queue.append(contentsOf: dependency.dependencies)
        }
        return result
    }

    // MARK: indexing

    private mutating func index(_ file: FileDescriptorOutline) {
        let scope = file.package
        for service in file.services {
            let name = Self.qualified(scope, service.name)
            self.add(name, file)
            for method in service.methods { self.add(Self.qualified(name, method.name), file) }
        }
        for message in file.messages { self.index(message, in: scope, file) }
        for enumeration in file.enums { self.index(enumeration, in: scope, file) }
        for field in file.extensions { self.index(extension: field, in: scope, file) }
    }

    private mutating func index(_ message: MessageOutline, in scope: String, _ file: FileDescriptorOutline) {
        let name = Self.qualified(scope, message.name)
        self.add(name, file)
        self.messageNames.insert(name)
        for field in message.fields { self.add(Self.qualified(name, field.name), file) }
        for oneof in message.oneofs { self.add(Self.qualified(name, oneof.name), file) }
        for nested in message.nestedMessages { self.index(nested, in: name, file) }
        for enumeration in message.enums { self.index(enumeration, in: name, file) }
        for field in message.extensions { self.index(extension: field, in: name, file) }
    }

    private mutating func index(_ enumeration: EnumOutline, in scope: String, _ file: FileDescriptorOutline) {
        self.add(Self.qualified(scope, enumeration.name), file)
        for value in enumeration.values { self.add(Self.qualified(scope, value.name), file) }
    }

    private mutating func index(extension field: FieldOutline, in scope: String, _ file: FileDescriptorOutline) {
        self.add(Self.qualified(scope, field.name), file)
        let extendee = field.extendee.hasPrefix(".") ? String(field.extendee.dropFirst()) : field.extendee
        self.extensions[extendee, default: [:]][field.number] = file.name
    }

    /// The first file to declare a name keeps it (protoc refuses duplicates anyway).
    private mutating func add(_ symbol: String, _ file: FileDescriptorOutline) {
        if self.fileBySymbol[symbol] == nil { self.fileBySymbol[symbol] = file.name }
    }

    private static func qualified(_ scope: String, _ name: String) -> String {
        scope.isEmpty ? name : "\(scope).\(name)"
    }
}
