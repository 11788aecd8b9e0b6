// The file reading and atomic writing behind `readNPY`/`writeNPZ`, offered for other files too (the
// shell's history and `history save` scripts), and a sanitiser for text that came from a file.

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whole-file reads and atomic writes with the guarantees documented in docs/reliability.md.
public enum Files {
  /// The bytes of the regular file at `path`: opened non-blocking and checked with fstat first, so
  /// a FIFO, a device or a directory is refused at once; at most 4 GiB.
  /// Throws ``NumpyFormatError/fileNotFound(path:)`` or ``NumpyFormatError/unreadableFile(path:reason:)``.
  public static func read(_ path: String) throws -> [UInt8] { try FileIO.read(path) }

  /// Writes `bytes` atomically over `path` (a temporary beside it, fsync, rename): only a regular
  /// file (or nothing) is replaced, links are written through, an existing file keeps its mode and
  /// a new one gets `newFileMode` less the umask; every failure is an
  /// ``NumpyFormatError/unwritableFile(path:reason:)`` with the system's reason, and leaves no
  /// temporary behind.
  public static func writeAtomically(_ bytes: [UInt8], to path: String, newFileMode: UInt32 = 0o666) throws {
    try FileIO.writeAtomically(bytes, to: path, newFileMode: mode_t(newFileMode & 0o777))
  }
}

/// `text` safe to print on a terminal: every control character (C0 except tab, DEL, C1 — which
/// includes ESC, so no escape sequence survives) and every bidirectional override or isolate
/// (U+202A…U+202E, U+2066…U+2069) is shown as a visible `\xHH` or `\u{HHHH}` escape, and a
/// U+FFFD stays as it is. Text that came from a file (an `.npz` member name, a pickled string)
/// goes through this before it is shown. `keepNewlines` keeps line breaks (for multi-line text).
public func sanitizedForDisplay(_ text: String, keepNewlines: Bool = false) -> String {
  func needsEscape(_ v: UInt32) -> Bool {
    if v == 0x09 || (keepNewlines && v == 0x0A) { return false }
    return v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
  }
  guard text.unicodeScalars.contains(where: { needsEscape($0.value) }) else { return text }
  var result = String.UnicodeScalarView()
  for scalar in text.unicodeScalars {
    let v = scalar.value
    guard needsEscape(v) else {
      result.append(scalar)
      continue
    }
    let hex = String(v, radix: 16)
    let escaped = v <= 0xFF ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex : "\\u{" + hex + "}"
    result.append(contentsOf: escaped.unicodeScalars)
  }
  return String(result)
}
