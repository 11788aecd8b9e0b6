// CRC-32 against the standard check value and python's zlib.crc32.

import Testing

@testable import NumpyFormat

@Test func crc32CheckValues() {
  #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
  #expect(CRC32.checksum([UInt8]()) == 0)
  #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
}

@Test func crc32MatchesZlib() throws {
  var random = TestRandom(seed: 3)
  let inputs = [random.bytes(1), random.bytes(255), random.bytes(4096), [UInt8](repeating: 0xFF, count: 1000)]
  let printed = try runPython(
    """
    import zlib
    print(' '.join(str(zlib.crc32(bytes.fromhex(h))) for h in sys.argv[1:]))
    """, inputs.map(hex))
  let expected = printed.split(separator: " ").map { UInt32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
  #expect(expected == inputs.map { CRC32.checksum($0) })
}
