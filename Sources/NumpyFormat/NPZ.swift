// The .npz format: a ZIP archive with one KEY.npy member per array, as np.savez writes it.

import Foundation

/// Encoding and decoding of numpy's `.npz` archives.
public enum NPZ {
  /// Decodes an `.npz` archive into `(key, array)` pairs in archive order. The key is the member name
  /// without its `.npy` suffix; it may contain `/` (PsychRNN's `W_rec/Adam`).
  ///
  /// Stored and deflated (`np.savez_compressed`) members are read; every member's CRC-32 is checked.
  public static func decode(_ bytes: [UInt8]) throws -> [(String, NumpyArray)] {
    try ZIPReader.entries(in: bytes).map { entry in
      let contents = try ZIPReader.contents(of: entry, in: bytes)
      do {
        return (key(forMember: entry.name), try NPY.decode(contents))
      } catch let error as NumpyFormatError {
        throw NumpyFormatError.inMember(entry.name, error)
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

/// Reads the `.npz` file at `path` into `(key, array)` pairs in archive order.
public func readNPZ(path: String) throws -> [(String, NumpyArray)] {
  try withFileContext(path) { try NPZ.decode(try FileIO.read(path)) }
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
