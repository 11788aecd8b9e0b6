// The .npz format: a ZIP archive with one KEY.npy member per array, as np.savez writes it.

import Foundation

/// Encoding and decoding of numpy's `.npz` archives.
public enum NPZ {
  /// The default limit on the decompressed size of a whole archive: 4 GiB, the most a plain (non-ZIP64)
  /// member can declare, and the largest file ``readNPZ(path:maxDecompressedSize:)`` reads.
  public static let defaultMaxDecompressedSize = 1 << 32

  /// Decodes an `.npz` archive into `(key, array)` pairs in archive order. The key is the member name
  /// without its `.npy` suffix; it may contain `/` (PsychRNN's `W_rec/Adam`).
  ///
  /// Stored and deflated (`np.savez_compressed`) members are read; every member's CRC-32 is checked.
  /// Hostile archives are refused before they can exhaust memory:
  /// - two members with the same name, or with names giving the same key (`W.npy` and `W`), are an error
  ///   (numpy silently reads one of them);
  /// - members whose bytes overlap are an error (see ``ZIPReader/members(in:)``), so no byte is
  ///   decompressed twice;
  /// - a deflated member is inflated only as far as the `.npy` header at its start declares (the header,
  ///   then shape × itemsize bytes; at most ``NPY/maxPickleSize`` of pickle for an object array), and its
  ///   header must agree with the uncompressed size in the zip directory;
  /// - the uncompressed sizes of all members together may not exceed ``defaultMaxDecompressedSize``
  ///   (``decode(_:maxDecompressedSize:)`` sets another limit).
  public static func decode(_ bytes: [UInt8]) throws -> [(String, NumpyArray)] {
    try decode(bytes, maxDecompressedSize: defaultMaxDecompressedSize)
  }

  /// Decodes an `.npz` archive, as ``decode(_:)-([UInt8])``, with a limit of `maxDecompressedSize` bytes on
  /// the uncompressed sizes of all its members together.
  public static func decode(_ bytes: [UInt8], maxDecompressedSize: Int) throws -> [(String, NumpyArray)] {
    var keys = Set<String>()
    var remaining = maxDecompressedSize
    return try ZIPReader.members(in: bytes).map { member in
      let name = member.entry.name
      let key = key(forMember: name)
      guard keys.insert(key).inserted else { throw NumpyFormatError.duplicateKey(key) }
      guard member.entry.uncompressedSize <= remaining else {
        throw NumpyFormatError.decompressedSizeLimit(member: name, limit: maxDecompressedSize)
      }
      remaining -= member.entry.uncompressedSize
      let directorySize = member.entry.uncompressedSize
      let contents = try ZIPReader.contents(of: member, in: bytes) { prefix in
        switch try NPY.declaredSize(prefix: prefix) {
        case .needsPrefix(let count): return .needsPrefix(count)
        case .atMost(let count): return .atMost(count, "an object array's header allows")
        case .exactly(let count):
          guard count == directorySize else {
            throw NumpyFormatError.declaredSizeMismatch(header: count, directory: directorySize)
          }
          return .atMost(count, "its .npy header declares")
        }
      }
      do {
        return (key, try NPY.decode(contents))
      } catch let error as NumpyFormatError {
        throw NumpyFormatError.inMember(name, error)
      }
    }
  }

  /// Decodes an `.npz` archive held in `Data`.
  public static func decode(_ data: Data) throws -> [(String, NumpyArray)] {
    try decode([UInt8](data))
  }

  /// Encodes `(key, array)` pairs as an `.npz` archive with stored members named `KEY.npy`, in the given
  /// order. Throws ``NumpyFormatError/duplicateKey(_:)`` if a key repeats.
  public static func encode(_ entries: [(String, NumpyArray)]) throws -> [UInt8] {
    var seen = Set<String>()
    let members = try entries.map { key, array in
      guard seen.insert(key).inserted else { throw NumpyFormatError.duplicateKey(key) }
      return (name: key + ".npy", data: try NPY.encode(array))
    }
    return try ZIPWriter.archive(members)
  }

  /// `W_rec/Adam.npy` → `W_rec/Adam`. Names without the suffix are kept whole.
  static func key(forMember name: String) -> String {
    name.hasSuffix(".npy") ? String(name.dropLast(4)) : name
  }
}

// MARK: - Files

/// Reads the `.npz` file at `path` into `(key, array)` pairs in archive order. See ``NPZ/decode(_:)-([UInt8])``
/// for what is refused.
public func readNPZ(path: String) throws -> [(String, NumpyArray)] {
  try readNPZ(path: path, maxDecompressedSize: NPZ.defaultMaxDecompressedSize)
}

/// Reads the `.npz` file at `path`, with a limit of `maxDecompressedSize` bytes on the uncompressed sizes
/// of all its members together.
public func readNPZ(path: String, maxDecompressedSize: Int) throws -> [(String, NumpyArray)] {
  try withFileContext(path) { try NPZ.decode(try FileIO.read(path), maxDecompressedSize: maxDecompressedSize) }
}

/// Writes `entries` to an `.npz` file at `path`, atomically: the archive is written to a temporary file
/// in the same directory, then renamed over `path`.
public func writeNPZ(_ entries: [(String, NumpyArray)], to path: String) throws {
  try withFileContext(path) { try FileIO.writeAtomically(try NPZ.encode(entries), to: path) }
}

/// Reads the `.npy` file at `path`.
public func readNPY(path: String) throws -> NumpyArray {
  try withFileContext(path) { try NPY.decode(try FileIO.read(path)) }
}

/// Writes `array` to an `.npy` file at `path`, atomically (temporary file, then rename).
public func writeNPY(_ array: NumpyArray, to path: String) throws {
  try withFileContext(path) { try FileIO.writeAtomically(try NPY.encode(array), to: path) }
}

/// Runs `body`, prefixing format errors with the file's path (errors that already name it pass unchanged).
private func withFileContext<T>(_ path: String, _ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as NumpyFormatError {
    switch error {
    case .fileNotFound, .unreadableFile, .unwritableFile: throw error
    default: throw NumpyFormatError.inFile(path, error)
    }
  }
}
