// The deflate decoder against streams made by python's zlib: stored, fixed-Huffman and dynamic-Huffman
// blocks, every compression level and strategy, and damaged streams.

import Foundation
import Testing

@testable import NumpyFormat

@Test func inflatesEverythingZlibWrites() throws {
  let printed = try runPythonJSON(
    """
    import zlib, random
    rng = random.Random(5)
    text = b' '.join(rng.choice([b'W_rec', b'Adam', b'relu', b'0.75', b'float32', b'\\n']) for _ in range(20000))
    inputs = {
      'empty': b'', 'one': b'a', 'text': text, 'random': bytes(rng.getrandbits(8) for _ in range(70000)),
      'zeros': bytes(100000), 'floats': np.linspace(-1, 1, 5000).astype(np.float32).tobytes(),
      'mixed': text[:30000] + bytes(rng.getrandbits(8) for _ in range(30000)) + bytes(40000),
    }
    strategies = {'default': zlib.Z_DEFAULT_STRATEGY, 'fixed': zlib.Z_FIXED,
                  'huffman': zlib.Z_HUFFMAN_ONLY, 'rle': zlib.Z_RLE, 'filtered': zlib.Z_FILTERED}
    out = []
    for name, data in inputs.items():
        for level in [0, 1, 6, 9]:
            for sname, strategy in strategies.items():
                c = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
                out.append(['%s/%d/%s' % (name, level, sname), data.hex(), (c.compress(data) + c.flush()).hex()])
    print(json.dumps(out))
    """)
  let cases = try #require(printed as? [[String]])
  #expect(cases.count == 7 * 4 * 5)
  for item in cases {
    let original = try #require(decodeHex(item[1]))
    let compressed = try #require(decodeHex(item[2]))
    #expect(try Inflate.decompress(compressed[...], expectedSize: original.count) == original, "\(item[0])")
  }
}

@Test func damagedStreamsThrow() throws {
  // Block type 3 does not exist.
  #expect(throws: NumpyFormatError.malformedDeflate("invalid block type 3")) {
    try Inflate.decompress([0x07][...], expectedSize: 0)
  }
  // A stored block whose length and complement disagree.
  #expect(throws: NumpyFormatError.malformedDeflate("stored block length check failed")) {
    try Inflate.decompress([0x01, 0x05, 0x00, 0x00, 0x00][...], expectedSize: 5)
  }
  // A stored block of 5 bytes with only 2 present.
  #expect(throws: NumpyFormatError.self) {
    try Inflate.decompress([0x01, 0x05, 0x00, 0xFA, 0xFF, 1, 2][...], expectedSize: 5)
  }
  // More output than the zip directory declared.
  let stored: [UInt8] = [0x01, 0x03, 0x00, 0xFC, 0xFF, 1, 2, 3]
  #expect(try Inflate.decompress(stored[...], expectedSize: 3) == [1, 2, 3])
  #expect(throws: NumpyFormatError.self) { try Inflate.decompress(stored[...], expectedSize: 2) }
  #expect(throws: NumpyFormatError.self) { try Inflate.decompress(stored[...], expectedSize: 4) }
  // A fixed block whose first symbol is a back-reference (nothing to copy from): bits 1, 01, then length
  // code 257 = 0000001 (7 bits), distance code 0 = 00000.
  #expect(throws: NumpyFormatError.self) { try Inflate.decompress([0x03, 0x02, 0x00][...], expectedSize: 10) }
  // A size from a lying zip directory must not make the inflater allocate it.
  #expect(throws: NumpyFormatError.malformedDeflate("inflated to 3 bytes, the zip directory says \(Int.max / 2)")) {
    try Inflate.decompress(stored[...], expectedSize: Int.max / 2)
  }
  // No data at all.
  #expect(throws: NumpyFormatError.malformedDeflate("unexpected end of compressed data")) {
    try Inflate.decompress([][...], expectedSize: 0)
  }
}

@Test func randomBytesNeverCrashTheInflater() {
  var random = TestRandom(seed: 11)
  for length in [1, 2, 3, 5, 10, 50, 200, 1000] {
    for _ in 0..<300 {
      let garbage = random.bytes(length)
      do {
        _ = try Inflate.decompress(garbage[...], expectedSize: 4096)
      } catch is NumpyFormatError {
      } catch {
        Issue.record("unexpected error \(error)")
      }
    }
  }
}

@Test func truncatedAndFlippedStreamsNeverCrash() throws {
  let printed = try runPython(
    """
    import zlib
    data = (b'PsychRNN weights ' * 300) + np.arange(300, dtype=np.float32).tobytes()
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    print(data.hex(), (c.compress(data) + c.flush()).hex())
    """)
  let parts = printed.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
  let original = try #require(decodeHex(parts[0]))
  let compressed = try #require(decodeHex(parts[1]))
  for length in 0..<compressed.count {
    #expect(throws: NumpyFormatError.self) {
      try Inflate.decompress(compressed.prefix(length), expectedSize: original.count)
    }
  }
  for offset in compressed.indices {
    var damaged = compressed
    damaged[offset] ^= 0x10
    do {
      _ = try Inflate.decompress(damaged[...], expectedSize: original.count)
    } catch is NumpyFormatError {
    } catch {
      Issue.record("offset \(offset): unexpected error \(error)")
    }
  }
}
