// One-dimensional arrays of text, as numpy's fixed-width unicode dtype (`<U{n}`: n UTF-32LE code
// units per element, zero-padded), for tables whose columns hold strings (a sweep's results.npz).
// Written only: nothing here reads them back.

/// A member of an `.npz` archive that ``NPZ/encode(members:)`` writes: a numeric (or object) array,
/// or a column of strings.
public enum NPZMember: Sendable {
  case array(NumpyArray)
  /// A 1-d `<U{n}` array, n the longest string's length in code points (at least 1).
  case text([String])
}

extension NPZ {
  /// Encodes `(key, member)` pairs as an `.npz` archive in the given order, as ``encode(_:)`` does,
  /// with text columns as numpy `<U` arrays. Throws ``NumpyFormatError/duplicateKey(_:)`` if a key repeats.
  public static func encode(members entries: [(String, NPZMember)]) throws -> [UInt8] {
    var seen = Set<String>()
    let members = try entries.map { key, member in
      guard seen.insert(key).inserted else { throw NumpyFormatError.duplicateKey(key) }
      switch member {
      case .array(let a): return (name: key + ".npy", data: try NPY.encode(a))
      case .text(let strings): return (name: key + ".npy", data: NPY.encodeText(strings))
      }
    }
    return try ZIPWriter.archive(members)
  }
}

extension NPY {
  /// An `.npy` file of a 1-d `<U{n}` array holding `strings`.
  static func encodeText(_ strings: [String]) -> [UInt8] {
    let width = max(1, strings.map { $0.unicodeScalars.count }.max() ?? 1)
    let header = NPYHeader(descr: "<U\(width)", fortranOrder: false, shape: [strings.count])
    var bytes = wrap(headerText: header.text)
    bytes.reserveCapacity(bytes.count + strings.count * width * 4)
    for s in strings {
      var n = 0
      for scalar in s.unicodeScalars {
        let v = scalar.value
        bytes += [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)]
        n += 1
      }
      bytes += [UInt8](repeating: 0, count: (width - n) * 4)
    }
    return bytes
  }
}

/// Writes `members` to `path` as an `.npz` archive, atomically (see ``writeNPZ(_:to:)``).
public func writeNPZ(members: [(String, NPZMember)], to path: String) throws {
  try AtomicFiles.write(try NPZ.encode(members: members), to: path)
}
