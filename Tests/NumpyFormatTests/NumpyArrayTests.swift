// NumpyArray's initializers and accessors.

import Foundation
import Testing

@testable import NumpyFormat

@Test func float32ConvenienceInitializer() throws {
  let array = NumpyArray(shape: [2, 3], float32: [1, 2, 3, 4, 5, 6.5])
  #expect(array.dtype == .float32)
  #expect(array.count == 6)
  #expect(array.bytes.count == 24)
  #expect(array.values(as: Float.self) == [1, 2, 3, 4, 5, 6.5])
  #expect(array.values(as: Double.self) == nil)
  #expect(try array.asDoubles() == [1, 2, 3, 4, 5, 6.5])
  #expect(array.scalar == nil)
  #expect(array.object == nil)
  #expect(array.description == "NumpyArray(<f4, shape (2, 3))")
}

@Test func float64ScalarAndLittleEndianBytes() throws {
  let array = NumpyArray(shape: [], float64: [0.75])
  #expect(array.count == 1)
  #expect(array.scalar == 0.75)
  #expect(array.bytes == [0, 0, 0, 0, 0, 0, 0xE8, 0x3F])
  #expect(try array.asFloats() == [0.75])
}

@Test func conversionsFromEveryNumericDType() throws {
  #expect(try NumpyArray(shape: [3], values: [true, false, true]).asDoubles() == [1, 0, 1])
  #expect(try NumpyArray(shape: [2], values: [Int8.min, Int8.max]).asDoubles() == [-128, 127])
  #expect(try NumpyArray(shape: [2], values: [Int16.min, 7]).asDoubles() == [-32768, 7])
  #expect(try NumpyArray(shape: [2], values: [Int32.min, -1]).asDoubles() == [-2_147_483_648, -1])
  #expect(try NumpyArray(shape: [1], values: [Int64(-1) << 40]).asDoubles() == [-1_099_511_627_776])
  #expect(try NumpyArray(shape: [1], values: [UInt8.max]).asFloats() == [255])
  #expect(try NumpyArray(shape: [1], values: [UInt16.max]).asFloats() == [65535])
  #expect(try NumpyArray(shape: [1], values: [UInt32.max]).asDoubles() == [4_294_967_295])
  #expect(try NumpyArray(shape: [1], values: [UInt64(1) << 63]).asDoubles() == [9_223_372_036_854_775_808])
  #expect(try NumpyArray(shape: [2], float64: [1e300, -0.5]).asFloats() == [.infinity, -0.5])
}

@Test func exactTypedValuesRoundTrip() {
  let values: [Int64] = [.min, -1, 0, 1, .max]
  #expect(NumpyArray(shape: [5], values: values).values(as: Int64.self) == values)
  let unsigned: [UInt16] = [0, 1, 0xBEEF, .max]
  #expect(NumpyArray(shape: [2, 2], values: unsigned).values(as: UInt16.self) == unsigned)
}

@Test func objectArrays() throws {
  let array = NumpyArray(object: .global(module: "math", name: "sqrt"))
  #expect(array.shape == [])
  #expect(array.count == 1)
  #expect(array.bytes.isEmpty)
  #expect(array.object == .global(module: "math", name: "sqrt"))
  #expect(array.scalar == nil)
  #expect(array.dtype.descr == "|O")
  #expect(!array.dtype.isNumeric)
  #expect(throws: NumpyFormatError.notNumeric(descr: "|O")) { try array.asFloats() }
}

@Test func rawInitializerChecksSizes() throws {
  #expect(throws: NumpyFormatError.sizeMismatch(shape: [2, 2], expectedBytes: 16, actualBytes: 15)) {
    try NumpyArray(shape: [2, 2], dtype: .float32, bytes: [UInt8](repeating: 0, count: 15))
  }
  #expect(throws: NumpyFormatError.invalidShape([2, -1])) {
    try NumpyArray(shape: [2, -1], dtype: .float32, bytes: [])
  }
  #expect(throws: NumpyFormatError.invalidShape([Int.max, 3])) {
    try NumpyArray(shape: [Int.max, 3], dtype: .uint8, bytes: [])
  }
  #expect(throws: NumpyFormatError.self) {
    try NumpyArray(shape: [2], dtype: .object(.none), bytes: [])
  }
  let empty = try NumpyArray(shape: [3, 0], dtype: .int32, bytes: [])
  #expect(empty.count == 0)
  #expect(try empty.asDoubles() == [])
}

@Test func descrStrings() {
  let expected = ["|b1", "|i1", "<i2", "<i4", "<i8", "|u1", "<u2", "<u4", "<u8", "<f4", "<f8"]
  #expect(NumpyDType.numericTypes.map(\.descr) == expected)
  #expect(NumpyDType.numericTypes.map(\.itemSize) == [1, 1, 2, 4, 8, 1, 2, 4, 8, 4, 8])
}

@Test func errorMessagesSayWhatAndWhere() {
  let crc = NumpyFormatError.inFile("w.npz", .crcMismatch(member: "W_rec.npy", expected: 0xDEAD_BEEF, actual: 1))
  #expect(
    crc.description
      == "w.npz: CRC-32 mismatch in member 'W_rec.npy': archive says 0xdeadbeef, data gives 0x00000001")
  #expect(crc.root == .crcMismatch(member: "W_rec.npy", expected: 0xDEAD_BEEF, actual: 1))
  #expect(
    NumpyFormatError.truncated(what: "member 'b.npy'", expected: 200, available: 17).description
      == "truncated member 'b.npy': needs 200 bytes, only 17 available")
  #expect(
    NumpyFormatError.sizeMismatch(shape: [50], expectedBytes: 200, actualBytes: 8).description
      == "shape (50,) needs 200 data bytes, found 8")
  #expect(NumpyFormatError.fileNotFound(path: "/x/y.npz").description == "no such file: /x/y.npz")
  let error: any Error = NumpyFormatError.unsupportedDType(descr: "<U5")
  #expect(error.localizedDescription == "unsupported dtype '<U5'")
}
