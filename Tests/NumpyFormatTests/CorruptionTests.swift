// Damaged files: every truncation and single-byte change must end in a NumpyFormatError or, where the
// damage does not matter (timestamps, header padding), in the original arrays. Nothing may trap.

import Foundation
import Testing

@testable import NumpyFormat

/// Decodes `bytes`; returns nil if it threw a NumpyFormatError, records an issue for any other error.
private func decodeOrNil<T>(_ decode: () throws -> T, _ context: @autoclosure () -> String) -> T? {
  do {
    return try decode()
  } catch is NumpyFormatError {
    return nil
  } catch {
    Issue.record("\(context()): unexpected error \(error)")
    return nil
  }
}

/// Every prefix of the archive throws, and every byte changed (three ways) throws or decodes unchanged.
private func checkArchiveDamage(_ archive: [UInt8], stride step: Int = 1) throws {
  let original = try NPZ.decode(archive)
  for length in Swift.stride(from: 0, to: archive.count, by: step) {
    #expect(throws: NumpyFormatError.self, "prefix of \(length) bytes") {
      try NPZ.decode(Array(archive.prefix(length)))
    }
  }
  for offset in Swift.stride(from: 0, to: archive.count, by: step) {
    for change: UInt8 in [0x01, 0x80, 0xFF] {
      var damaged = archive
      damaged[offset] ^= change
      if let decoded = decodeOrNil({ try NPZ.decode(damaged) }, "offset \(offset)") {
        #expect(decoded.map(\.0) == original.map(\.0), "offset \(offset) ^ \(change)")
        #expect(decoded.map(\.1) == original.map(\.1), "offset \(offset) ^ \(change)")
      }
    }
  }
}

@Test func damagedArchivesFromOurWriter() throws {
  try checkArchiveDamage(
    try NPZ.encode([
      ("W_rec/Adam", NumpyArray(shape: [3, 2], float32: [1, 2, 3, 4, 5, 6])),
      ("dale_ratio", NumpyArray(object: .none)),
      ("transfer_function", NumpyArray(object: .global(module: "tensorflow.python.ops.gen_nn_ops", name: "relu"))),
      ("ratio", NumpyArray(shape: [], float64: [0.75])),
    ]))
}

@Test func damagedZIP64Archive() throws {
  try checkArchiveDamage(
    zip64Archive([
      (name: "x.npy", data: try NPY.encode(NumpyArray(shape: [2], values: [Int64(5), -5]))),
      (name: "y.npy", data: try NPY.encode(NumpyArray(object: .none))),
    ]))
}

@Test func damagedCompressedArchive() throws {
  let printed = try runPython(
    """
    import io
    f = io.BytesIO()
    np.savez_compressed(f, w=np.arange(40, dtype=np.float32).reshape(5, 8), b=np.ones(30), s=np.array(2.5))
    print(f.getvalue().hex())
    """)
  try checkArchiveDamage(try #require(decodeHex(printed.trimmingCharacters(in: .whitespacesAndNewlines))))
}

@Test func damagedPsychRNNFixture() throws {
  try checkArchiveDamage(try Fixtures.bytes("basic_relu_weights.npz"), stride: 37)
}

/// A standalone .npy has no checksum: a change may decode to different numbers, but must never trap,
/// and changes in the header's padding spaces decode to the original array.
@Test func damagedNPYFiles() throws {
  let files = [
    try NPY.encode(NumpyArray(shape: [2, 3], float32: [1, 2, 3, 4, 5, 6])),
    try NPY.encode(NumpyArray(object: .global(module: "math", name: "sqrt"))),
    handMadeNPY(
      "{'descr': '>f8', 'fortran_order': True, 'shape': (2, 2), }", data: [UInt8](repeating: 0x3F, count: 32)),
  ]
  for file in files {
    let original = try NPY.decode(file)
    let headerLength = Int(file[8]) | Int(file[9]) << 8
    let dictionaryEnd = try #require(file.firstIndex(of: UInt8(ascii: "}")))
    for length in 0..<file.count {
      #expect(throws: NumpyFormatError.self, "prefix of \(length) bytes") {
        try NPY.decode(Array(file.prefix(length)))
      }
    }
    for offset in file.indices {
      for change: UInt8 in [0x01, 0x80, 0xFF] {
        var damaged = file
        damaged[offset] ^= change
        let decoded = decodeOrNil({ try NPY.decode(damaged) }, "offset \(offset)")
        // Padding between the dictionary's closing brace and the final newline.
        if offset > dictionaryEnd, offset < 10 + headerLength - 1, change != 0xFF || damaged[offset] != 0xDF {
          #expect(decoded == original || decoded == nil, "padding offset \(offset)")
        }
      }
    }
  }
}
