// Reading scripts and writing `history save` files, through NumpyFormat's checked file I/O.
//
// A script is read whole with `Files.read`: a FIFO, a device or a directory is refused at once
// instead of blocking, and bytes that are not UTF-8 become U+FFFD (as piped input does), so the
// lexer reports "unexpected character U+FFFD" at its line and column instead of the whole file
// being "unreadable". Writes are atomic: only a regular file is replaced, and a full or read-only
// disk is reported with the system's reason, leaving no temporary behind.

import NumpyFormat

/// Script files: read with replacement of invalid UTF-8, written atomically.
public enum ScriptFile {
  /// The text of the script at `path`; invalid UTF-8 becomes U+FFFD.
  public static func read(_ path: String) throws -> String {
    String(decoding: try Files.read(path), as: UTF8.self)
  }

  /// Writes `text` over `path` atomically.
  public static func write(_ text: String, to path: String) throws {
    try Files.writeAtomically(Array(text.utf8), to: path)
  }

  /// A one-line reason for a failure of `read` or `write`, without repeating the path.
  public static func reason(_ error: Error) -> String {
    switch error {
    case NumpyFormatError.fileNotFound: return "no such file"
    case NumpyFormatError.unreadableFile(_, let reason), NumpyFormatError.unwritableFile(_, let reason): return reason
    default: return "\(error)"
    }
  }
}
