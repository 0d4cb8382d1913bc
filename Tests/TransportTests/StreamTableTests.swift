import Testing
import TestSupport

@testable import Transport

/// `StreamTable` against `Dictionary` as the model: the same operations, the same contents.
@Suite struct StreamTableTests {
    @Test func insertsReplacesAndRemoves() {
        var table = StreamTable<String>()
        #expect(table.isEmpty && table[1] == nil)
        table[1] = "one"
        table[3] = "three"
        table[1] = "uno"
        #expect(table.count == 2 && table[1] == "uno" && table[3] == "three")
        #expect(table.removeValue(forKey: 1) == "uno")
        #expect(table.removeValue(forKey: 1) == nil)
        table[3] = nil
        #expect(table.isEmpty && table[3] == nil)
    }

    @Test func updateChangesInPlaceAndSkipsMissingKeys() {
        var table = StreamTable<Int>()
        table[5] = 1
        #expect(table.update(5) { $0 += 41; return $0 } == 42)
        #expect(table.update(7) { $0 += 1 } == nil)
        #expect(table[5] == 42 && table[7] == nil && table.count == 1)
    }

    /// Random inserts, updates and removals of clustered and far-apart ids, many of them
    /// through growth and wrap-around probe runs, checked against a Dictionary after each.
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func randomOperationsMatchADictionary(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        var table = StreamTable<Int>()
        var model: [Int32: Int] = [:]
        for step in 0..<20_000 {
            let key: Int32 =
                random.next() % 4 == 0
                ? Int32(truncatingIfNeeded: random.next() & 0x7fff_ffff) : Int32(random.next() % 300) * 2 + 1
            switch random.next() % 4 {
            case 0, 1:
                table[key] = step
                model[key] = step
            case 2:
                #expect(table.removeValue(forKey: key) == model.removeValue(forKey: key))
            default:
                #expect((table.update(key) { $0 += 1 } != nil) == (model[key] != nil))
                model[key]? += 1
            }
            #expect(table.count == model.count)
            if step % 997 == 0 {
                #expect(Dictionary(uniqueKeysWithValues: table.map { ($0.key, $0.value) }) == model)
            }
        }
        for (key, value) in model { #expect(table[key] == value) }
        for key in model.keys { table[key] = nil }
        #expect(table.isEmpty && table.keys.isEmpty)
    }
}
