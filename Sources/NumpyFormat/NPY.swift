// The .npy format: a magic string, a version, a header dictionary and the raw data.
//
//   \x93NUMPY  major minor  header-length (uint16 in 1.0, uint32 in 2.0/3.0)  header  data
//
// The header is padded with spaces and ends in '\n' so that the data starts at a multiple of 64 bytes.

import Foundation

/// Encoding and decoding of single arrays in numpy's `.npy` format.
public enum NPY {
  /// The six bytes every `.npy` file starts with.
  static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

  /// numpy aligns the start of the data to this many bytes (`ARRAY_ALIGN`).
  static let alignment = 64

  /// Decodes a complete `.npy` file.
  ///
  /// Accepts format versions 1.0, 2.0 and 3.0, either byte order, Fortran order (converted to C order),
  /// and 0-d object arrays holding a pickled None, number or global reference.
  public static func decode(_ bytes: [UInt8]) throws -> NumpyArray {
    var reader = ByteReader(bytes, what: ".npy preamble")
    let header = try readHeader(&reader)
    return try decodeData(Array(bytes[reader.offset...]), header: header)
  }

  /// Decodes a complete `.npy` file.
  public static func decode(_ data: Data) throws -> NumpyArray {
    try decode([UInt8](data))
  }

  /// Encodes an array as numpy's `np.save` would: little-endian, C order, format version 1.0
  /// (2.0 only if the header is too long for 1.0). Object arrays are written as a protocol-2 pickle.
  public static func encode(_ array: NumpyArray) throws -> [UInt8] {
    let header = NPYHeader(descr: array.dtype.descr, fortranOrder: false, shape: array.shape)
    var bytes = wrap(headerText: header.text)
    if case .object(let object) = array.dtype {
      bytes += try PickleWriter.objectArray(holding: object, shape: array.shape)
    } else {
      bytes += array.bytes
    }
    return bytes
  }

  // MARK: - Declared size

  /// The most bytes the pickle of an object array may take when its size must be bounded before it is
  /// inflated (the header does not declare it). PsychRNN's pickles take about 100 bytes.
  static let maxPickleSize = 1 << 20

  /// How long a `.npy` file is, as far as its first bytes (`prefix`) tell.
  enum DeclaredSize: Equatable {
    /// The prefix ends before the header does: at least this many bytes are needed to tell.
    case needsPrefix(Int)
    /// A numeric array: the preamble, the header and shape × itemsize data bytes.
    case exactly(Int)
    /// An object array: the preamble and the header, then a pickle of at most ``maxPickleSize`` bytes.
    case atMost(Int)
  }

  /// The size the `.npy` file starting with `prefix` declares, read from its preamble and header, so a
  /// compressed member can be inflated no further than that. Throws what ``decode(_:)-([UInt8])`` would
  /// throw for a bad preamble, header or shape.
  static func declaredSize(prefix: [UInt8]) throws -> DeclaredSize {
    let fixed = magic.count + 2
    guard prefix.count >= fixed else { return .needsPrefix(fixed) }
    guard prefix.starts(with: magic) else { throw NumpyFormatError.notNPY }
    let lengthSize: Int
    switch (prefix[magic.count], prefix[magic.count + 1]) {
    case (1, 0): lengthSize = 2
    case (2, 0), (3, 0): lengthSize = 4
    case (let major, let minor): throw NumpyFormatError.unsupportedNPYVersion(major: major, minor: minor)
    }
    guard prefix.count >= fixed + lengthSize else { return .needsPrefix(fixed + lengthSize) }
    var lengthReader = ByteReader(prefix, offset: fixed, what: ".npy preamble")
    let length = lengthSize == 2 ? Int(try lengthReader.readLE(UInt16.self)) : Int(try lengthReader.readLE(UInt32.self))
    guard length <= NPYHeader.maxLength else { throw headerTooLong(length, text: "") }
    guard prefix.count >= fixed + lengthSize + length else { return .needsPrefix(fixed + lengthSize + length) }
    var reader = ByteReader(prefix, what: ".npy preamble")
    let header = try readHeader(&reader)
    guard let count = NumpyArray.elementCount(header.shape) else { throw NumpyFormatError.invalidShape(header.shape) }
    switch try ParsedDescr(header.descr) {
    case .object:
      return .atMost(reader.offset + maxPickleSize)
    case .numeric(let dtype, _):
      let (dataSize, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
      let (total, totalOverflow) = reader.offset.addingReportingOverflow(dataSize)
      guard !overflow, !totalOverflow else { throw NumpyFormatError.invalidShape(header.shape) }
      return .exactly(total)
    }
  }

  private static func headerTooLong(_ length: Int, text: String) -> NumpyFormatError {
    .malformedHeader(
      header: NPYHeader.quoted(text),
      reason: "header is \(length) bytes, longer than numpy's limit of \(NPYHeader.maxLength)")
  }

  // MARK: - Reading

  /// Reads magic, version and header, leaving the reader at the first data byte.
  private static func readHeader(_ reader: inout ByteReader) throws -> NPYHeader {
    guard reader.bytes.starts(with: magic) else {
      // A file cut off inside the magic string is truncated rather than foreign.
      if !reader.bytes.isEmpty, magic.starts(with: reader.bytes) { try reader.require(magic.count + 2) }
      throw NumpyFormatError.notNPY
    }
    try reader.skip(magic.count)
    let major = try reader.readUInt8()
    let minor = try reader.readUInt8()
    let length: Int
    switch (major, minor) {
    case (1, 0): length = Int(try reader.readLE(UInt16.self))
    case (2, 0), (3, 0): length = Int(try reader.readLE(UInt32.self))
    default: throw NumpyFormatError.unsupportedNPYVersion(major: major, minor: minor)
    }
    var headerReader = ByteReader(reader.bytes, offset: reader.offset, what: ".npy header")
    let headerBytes = try headerReader.readBytes(length)
    reader.offset = headerReader.offset
    // Versions 1.0 and 2.0 are latin-1, version 3.0 is UTF-8.
    let text =
      major == 3
      ? String(decoding: headerBytes, as: UTF8.self)
      : String(String.UnicodeScalarView(headerBytes.map { Unicode.Scalar($0) }))
    guard length <= NPYHeader.maxLength else { throw headerTooLong(length, text: text) }
    return try NPYHeader(parsing: text)
  }

  /// Turns the data section into an array, according to the header.
  private static func decodeData(_ data: [UInt8], header: NPYHeader) throws -> NumpyArray {
    guard let count = NumpyArray.elementCount(header.shape) else {
      throw NumpyFormatError.invalidShape(header.shape)
    }
    switch try ParsedDescr(header.descr) {
    case .object:
      let object = try PickleScanner.objectArrayElement(data, elementCount: count)
      return try NumpyArray(shape: header.shape, dtype: .object(object), bytes: [])
    case .numeric(let dtype, let bigEndian):
      let (expected, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
      guard !overflow, expected == data.count else {
        throw NumpyFormatError.sizeMismatch(
          shape: header.shape, expectedBytes: overflow ? Int.max : expected,
          actualBytes: data.count)
      }
      var bytes = data
      if bigEndian { MemoryOrder.swapByteOrder(&bytes, itemSize: dtype.itemSize) }
      if header.fortranOrder {
        bytes = MemoryOrder.fortranToC(bytes, shape: header.shape, itemSize: dtype.itemSize)
      }
      return try NumpyArray(shape: header.shape, dtype: dtype, bytes: bytes)
    }
  }

  // MARK: - Writing

  /// Magic, version, length and the header padded with spaces and a final newline, exactly as numpy
  /// does: the padding is 1 to 64 spaces so that the total is a multiple of ``alignment``.
  static func wrap(headerText: String) -> [UInt8] {
    let header = Array(headerText.utf8)
    for (major, lengthSize) in [(UInt8(1), 2), (2, 4)] {
      let unpadded = magic.count + 2 + lengthSize + header.count + 1
      let padding = alignment - unpadded % alignment
      let length = header.count + padding + 1
      guard lengthSize == 4 || length <= Int(UInt16.max) else { continue }
      var bytes = magic + [major, 0]
      if lengthSize == 2 { bytes.appendLE(UInt16(length)) } else { bytes.appendLE(UInt32(length)) }
      bytes += header
      bytes += [UInt8](repeating: UInt8(ascii: " "), count: padding)
      bytes.append(UInt8(ascii: "\n"))
      return bytes
    }
    preconditionFailure("unreachable: version 2.0 always fits")
  }
}
