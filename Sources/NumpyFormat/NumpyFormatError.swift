// Every failure of this module, as one enum whose messages say what went wrong and where.

import Foundation

/// An error reading or writing `.npy` / `.npz` files.
///
/// Errors raised while decoding one member of an `.npz` archive are wrapped in ``inMember(_:_:)``, and
/// errors raised while reading or writing a file are wrapped in ``inFile(_:_:)``, so a message reads
/// like `weights.npz: member 'W_rec.npy': CRC-32 mismatch …`. Use ``root`` to look past the wrappers.
public enum NumpyFormatError: Error, Equatable, Sendable, CustomStringConvertible {
  // MARK: Files

  /// There is no file at this path.
  case fileNotFound(path: String)
  /// The file exists but could not be read (a directory, no permission, an I/O error).
  case unreadableFile(path: String, reason: String)
  /// The file could not be written (or the temporary file could not be renamed over it).
  case unwritableFile(path: String, reason: String)

  // MARK: Containers

  /// The bytes do not start with the `.npy` magic string `\x93NUMPY`.
  case notNPY
  /// The bytes are not a ZIP archive (no end-of-central-directory record was found).
  case notZIP
  /// The `.npy` format version is not 1.0, 2.0 or 3.0.
  case unsupportedNPYVersion(major: UInt8, minor: UInt8)
  /// A structure ends before all of its bytes are present.
  case truncated(what: String, expected: Int, available: Int)
  /// The ZIP structure is inconsistent (bad signature, sizes that disagree, ...).
  case malformedZIP(String)
  /// A member's contents do not match the CRC-32 recorded in the archive.
  case crcMismatch(member: String, expected: UInt32, actual: UInt32)
  /// A member uses a ZIP compression method other than 0 (stored) or 8 (deflated).
  case unsupportedCompression(member: String, method: Int)
  /// A member uses a ZIP feature this reader does not implement (encryption, split archives).
  case unsupportedZIPFeature(member: String, feature: String)
  /// A deflate stream is invalid.
  case malformedDeflate(String)
  /// The archive cannot be written as a plain (non-ZIP64) ZIP file: too many or too large members.
  case archiveTooLarge(String)
  /// Two entries passed to the writer have the same key, or two members of an archive being read give
  /// the same key (`W.npy` and `W`).
  case duplicateKey(String)
  /// Two members of an archive have the same name. numpy silently reads one of them; we refuse the archive.
  case duplicateMember(String)
  /// Two members of an archive share bytes (one's local header lies inside the other's data): a damaged
  /// archive or a zip bomb that lists one compressed member many times.
  case overlappingMembers(String, String)
  /// Decompressing `member` would take the archive past `limit` bytes of decompressed data.
  case decompressedSizeLimit(member: String, limit: Int)
  /// A compressed member's size per its `.npy` header is not the uncompressed size the zip directory
  /// records (found after inflating only the header).
  case declaredSizeMismatch(header: Int, directory: Int)

  // MARK: Arrays

  /// The `.npy` header is not the dictionary literal numpy writes. `header` quotes it.
  case malformedHeader(header: String, reason: String)
  /// The `descr` names a type this module does not support (strings, complex, structured, ...).
  case unsupportedDType(descr: String)
  /// A shape has a negative dimension, or more elements than fit in memory.
  case invalidShape([Int])
  /// The data section holds a different number of bytes than the shape and dtype require.
  case sizeMismatch(shape: [Int], expectedBytes: Int, actualBytes: Int)
  /// A numeric value was asked of an object (pickled) array.
  case notNumeric(descr: String)

  // MARK: Pickles

  /// The pickle of an object array is malformed (bad opcode argument, stack underflow, ...).
  case malformedPickle(String)
  /// The pickle is valid but holds something this scanner does not understand.
  case unsupportedPickle(String)
  /// Nested data (`what`: "pickle") goes deeper than `limit` levels; refused before anything that deep is
  /// built, so hostile nesting cannot exhaust the stack.
  case nestingTooDeep(what: String, limit: Int)

  // MARK: Context

  /// An error found inside the named member of an `.npz` archive.
  indirect case inMember(String, NumpyFormatError)
  /// An error found while reading or writing the file at this path.
  indirect case inFile(String, NumpyFormatError)

  /// The error without its ``inMember(_:_:)`` / ``inFile(_:_:)`` context.
  public var root: NumpyFormatError {
    switch self {
    case .inMember(_, let inner), .inFile(_, let inner): return inner.root
    default: return self
    }
  }

  public var description: String {
    switch self {
    case .fileNotFound(let path): return "no such file: \(path)"
    case .unreadableFile(let path, let reason): return "cannot read \(path): \(reason)"
    case .unwritableFile(let path, let reason): return "cannot write \(path): \(reason)"
    case .notNPY: return "not an .npy file (missing the \\x93NUMPY magic string)"
    case .notZIP: return "not a zip/npz file (no end-of-central-directory record)"
    case .unsupportedNPYVersion(let major, let minor):
      return "unsupported .npy format version \(major).\(minor) (expected 1.0, 2.0 or 3.0)"
    case .truncated(let what, let expected, let available):
      return "truncated \(what): needs \(expected) bytes, only \(available) available"
    case .malformedZIP(let reason): return "malformed zip archive: \(reason)"
    case .crcMismatch(let member, let expected, let actual):
      return "CRC-32 mismatch in member '\(member)': archive says \(hex(expected)), data gives \(hex(actual))"
    case .unsupportedCompression(let member, let method):
      return "member '\(member)' uses unsupported compression method \(method) (only 0 stored, 8 deflated)"
    case .unsupportedZIPFeature(let member, let feature):
      return "member '\(member)' uses an unsupported zip feature: \(feature)"
    case .malformedDeflate(let reason): return "corrupt deflate data: \(reason)"
    case .archiveTooLarge(let reason): return "archive too large for a plain zip file: \(reason)"
    case .duplicateKey(let key): return "duplicate key '\(key)'"
    case .duplicateMember(let name): return "the archive holds more than one member named '\(name)'"
    case .overlappingMembers(let first, let second):
      return "members '\(first)' and '\(second)' overlap in the archive (a damaged archive or a zip bomb)"
    case .decompressedSizeLimit(let member, let limit):
      return "member '\(member)' would take the archive past the limit of \(limit) decompressed bytes"
    case .declaredSizeMismatch(let header, let directory):
      return "the .npy header declares \(header) bytes, the zip directory \(directory)"
    case .malformedHeader(let header, let reason): return "malformed .npy header (\(reason)): \(header)"
    case .unsupportedDType(let descr): return "unsupported dtype '\(descr)'"
    case .invalidShape(let shape):
      return "invalid shape \(shapeString(shape)): a negative dimension or too many elements"
    case .sizeMismatch(let shape, let expectedBytes, let actualBytes):
      return "shape \(shapeString(shape)) needs \(expectedBytes) data bytes, found \(actualBytes)"
    case .notNumeric(let descr): return "array of dtype '\(descr)' holds a pickled object, not numbers"
    case .malformedPickle(let reason): return "malformed pickle: \(reason)"
    case .unsupportedPickle(let reason): return "unsupported pickle: \(reason)"
    case .nestingTooDeep(let what, let limit): return "\(what) nests deeper than \(limit) levels"
    case .inMember(let name, let inner): return "member '\(name)': \(inner)"
    case .inFile(let path, let inner): return "\(path): \(inner)"
    }
  }
}

private func hex(_ value: UInt32) -> String {
  let digits = String(value, radix: 16)
  return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}

extension NumpyFormatError: LocalizedError {
  /// The same text as ``description``, so `error.localizedDescription` is informative too.
  public var errorDescription: String? { description }
}
