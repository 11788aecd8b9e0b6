// Bounds-checked reading of untrusted bytes, and little-endian appending for the writers.
// Everything that parses file contents goes through ByteReader, so a truncated or corrupted file
// throws NumpyFormatError.truncated instead of reading out of range.

/// A cursor over a byte array. Every read checks that the bytes exist first.
struct ByteReader {
  /// The bytes being read.
  let bytes: [UInt8]
  /// The index of the next byte to read.
  var offset: Int
  /// What is being read, for error messages ("zip central directory", "pickle", ...).
  let what: String

  init(_ bytes: [UInt8], offset: Int = 0, what: String) {
    self.bytes = bytes
    self.offset = offset
    self.what = what
  }

  /// The number of bytes after the cursor (zero if the cursor is past the end).
  var remaining: Int { max(0, bytes.count - offset) }

  var isAtEnd: Bool { remaining == 0 }

  /// Throws `truncated` unless `count` more bytes are available.
  func require(_ count: Int) throws {
    guard count >= 0, offset >= 0, count <= remaining else {
      throw NumpyFormatError.truncated(what: what, expected: count, available: remaining)
    }
  }

  mutating func readBytes(_ count: Int) throws -> ArraySlice<UInt8> {
    try require(count)
    defer { offset += count }
    return bytes[offset..<offset + count]
  }

  mutating func skip(_ count: Int) throws {
    try require(count)
    offset += count
  }

  mutating func readUInt8() throws -> UInt8 {
    try require(1)
    defer { offset += 1 }
    return bytes[offset]
  }

  /// Reads an unsigned little-endian integer of `T`'s width.
  mutating func readLE<T: FixedWidthInteger & UnsignedInteger>(_: T.Type = T.self) throws -> T {
    let size = MemoryLayout<T>.size
    try require(size)
    var value: T = 0
    for i in 0..<size { value |= T(bytes[offset + i]) << (8 * i) }
    offset += size
    return value
  }

  /// Reads an unsigned big-endian integer of `T`'s width.
  mutating func readBE<T: FixedWidthInteger & UnsignedInteger>(_: T.Type = T.self) throws -> T {
    let size = MemoryLayout<T>.size
    try require(size)
    var value: T = 0
    for i in 0..<size { value = (value << 8) | T(bytes[offset + i]) }
    offset += size
    return value
  }

  /// Reads bytes up to (not including) the next `\n`, and consumes the `\n`.
  mutating func readLine() throws -> ArraySlice<UInt8> {
    guard offset >= 0, offset <= bytes.count,
      let end = bytes[offset...].firstIndex(of: UInt8(ascii: "\n"))
    else {
      throw NumpyFormatError.truncated(
        what: "\(what) (line without newline)", expected: remaining + 1,
        available: remaining)
    }
    defer { offset = end + 1 }
    return bytes[offset..<end]
  }
}

extension ByteReader {
  /// Converts a length read from the file to `Int`, and checks that that many bytes remain.
  func checkedLength<T: BinaryInteger>(_ value: T) throws -> Int {
    guard let n = Int(exactly: value), n <= remaining else {
      throw NumpyFormatError.truncated(what: what, expected: Int(clamping: value), available: remaining)
    }
    return n
  }
}

extension Array where Element == UInt8 {
  /// Appends `value` in little-endian byte order.
  mutating func appendLE<T: FixedWidthInteger>(_ value: T) {
    for i in 0..<MemoryLayout<T>.size { append(UInt8(truncatingIfNeeded: value >> (8 * i))) }
  }

  /// Appends the bytes of an ASCII/UTF-8 string.
  mutating func appendString(_ string: String) {
    append(contentsOf: Array(string.utf8))
  }
}
