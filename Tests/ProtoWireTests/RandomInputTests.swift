import ProtoWire
import Testing
import TestSupport

/// Seeded noise and mutations: decoding must answer (value or `WireError`) and never trap,
/// and whatever decodes must re-encode to bytes that decode and re-encode unchanged (bytes, not
/// `==`, are compared: a mutated float may well be NaN).
@Suite struct RandomInputTests {
    static let sample = Nested.with {
        $0.children = [Nested.with { $0.labels = ["k": "v", "": "e"]; $0.byName = ["x": Scalars.with { $0.s32 = -3 }] }]
        $0.scalars = Scalars.with { $0.s = "text ✓"; $0.db = 2.5; $0.i64 = -7; $0.by = [1, 2]; $0.color = .red; $0.fl = 1.5 }
        $0.at = Timestamp(seconds: 5, nanos: 6)
        $0.nameWithUnderScore = "name"
    }

    @Test func randomAndMutatedBytesNeverTrap() throws {
        var random = SplitMix64(seed: 20_240_501)
        let valid = Self.sample.serializedBytes()
        for round in 0..<3000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            } else {
                bytes = valid
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &random)
                case 1: bytes.insert(UInt8.random(in: 0...255, using: &random), at: at)
                default: bytes.removeSubrange(at...)
                }
            }
            guard let decoded = try? Nested(serializedBytes: bytes) else { continue }
            let encoded = decoded.serializedBytes()
            #expect(try Nested(serializedBytes: encoded).serializedBytes() == encoded, "\(bytes.hex)")
            _ = try? decoded.jsonString()
        }
    }

    @Test func mutatedJSONNeverTraps() throws {
        var random = SplitMix64(seed: 7)
        let valid = try Self.sample.jsonUTF8Bytes()
        let interesting = Array("{}[]\",:\\-0123456789eE.tfnu ".utf8)
        for _ in 0..<3000 {
            var bytes = valid
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: bytes[at] = interesting.randomElement(using: &random) ?? 0
                case 1: bytes.insert(interesting.randomElement(using: &random) ?? 0, at: at)
                default: bytes.remove(at: at)
                }
                if bytes.isEmpty { break }
            }
            guard let decoded = try? Nested(jsonUTF8Bytes: bytes) else { continue }
            let encoded = decoded.serializedBytes()
            #expect(try Nested(serializedBytes: encoded).serializedBytes() == encoded)
        }
    }
}
