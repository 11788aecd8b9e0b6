// Numbers read from files that do not fit: shapes whose product overflows, ZIP64 sizes and offsets of
// 2^63 and more, entry counts no archive could hold. Each is a typed error; nothing may trap.

import Foundation
import Testing

@testable import NumpyFormat

@Test func shapesWhoseSizeOverflowsAreTypedErrors() {
  func decode(_ shape: String, descr: String = "<f8") -> NumpyFormatError? {
    expectFormatError {
      _ = try NPY.decode(
        handMadeNPY("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shape), }", data: [0, 0, 0, 0]))
    }
  }
  // The element count overflows Int.
  #expect(decode("(1099511627776, 1099511627776)") == .invalidShape([1 << 40, 1 << 40]))
  #expect(decode("(1099511627776, 1099511627776)", descr: "|O") == .invalidShape([1 << 40, 1 << 40]))
  #expect(decode("(4294967296, 4294967296, 4294967296)") == .invalidShape([1 << 32, 1 << 32, 1 << 32]))
  // The count fits, count × itemsize does not.
  #expect(
    decode("(4611686018427387904,)")
      == .sizeMismatch(shape: [1 << 62], expectedBytes: Int.max, actualBytes: 4))
  #expect(
    decode("(1099511627776, 1048576)")
      == .sizeMismatch(shape: [1 << 40, 1 << 20], expectedBytes: Int.max, actualBytes: 4))
  // Both fit, and are far more than the file holds.
  #expect(
    decode("(1099511627776, 1024)") == .sizeMismatch(shape: [1 << 40, 1 << 10], expectedBytes: 1 << 53, actualBytes: 4))
  // Beyond Int while parsing.
  guard case .malformedHeader? = decode("(99999999999999999999,)") else {
    Issue.record("expected malformedHeader")
    return
  }
}

/// Offsets of the ZIP64 extra field in the first central directory entry of `archive`.
private func centralZIP64Fields(_ archive: [UInt8]) throws -> (uncompressed: Int, compressed: Int, offset: Int) {
  let directory = try ZIPReader.findCentralDirectory(in: archive)
  let entry = directory.offset
  let nameLength = Int(archive[entry + 28]) | Int(archive[entry + 29]) << 8
  let extra = entry + 46 + nameLength
  return (extra + 4, extra + 12, extra + 20)
}

private func overwriteLE(_ bytes: inout [UInt8], at offset: Int, _ value: UInt64) {
  for i in 0..<8 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
}

@Test func zip64FieldsBeyondIntAreTypedErrors() throws {
  let archive = zip64Archive([(name: "x.npy", data: try NPY.encode(NumpyArray(shape: [2], float64: [1, 2])))])
  let fields = try centralZIP64Fields(archive)
  for (field, offset) in [
    ("uncompressed size", fields.uncompressed), ("compressed size", fields.compressed),
    ("local header offset", fields.offset),
  ] {
    for value in [UInt64.max, 1 << 63] {
      var damaged = archive
      overwriteLE(&damaged, at: offset, value)
      let error = expectFormatError { _ = try NPZ.decode(damaged) }
      #expect(
        error == .malformedZIP("member 'x.npy': the \(field) \(value) does not fit in 63 bits"),
        "\(field) = \(value)")
    }
  }
}

@Test func zip64EntryCountsNoArchiveCouldHoldAreTypedErrors() throws {
  var archive = zip64Archive([(name: "x.npy", data: try NPY.encode(NumpyArray(shape: [2], float64: [1, 2])))])
  // The ZIP64 end record sits 56 + 20 + 22 bytes before the end; its total entry count at +32.
  let record = archive.count - 22 - 20 - 56
  for count in [UInt64.max, 1 << 62, 1_000_000] {
    overwriteLE(&archive, at: record + 24, count)
    overwriteLE(&archive, at: record + 32, count)
    let error = expectFormatError { _ = try NPZ.decode(archive) }
    #expect(error?.description.contains("the zip64 end record claims \(count) members") == true, "\(String(describing: error))")
  }
}
