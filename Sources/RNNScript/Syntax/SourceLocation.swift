// Where things are in a script: a 1-based line and column (optionally with a file name), and the
// span between two such points. Columns count Unicode scalars, so a tab or an `é` is one column;
// the caret under a diagnostic lines up for ASCII text and tabs (wide characters may shift it).

import Synchronization

/// A point in `.rnn` source: optional file name, 1-based line and 1-based column.
///
/// Printed as `file.rnn:3:7`, or `3:7` when there is no file (input typed at the prompt).
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
  /// The file as its number in `SourceFiles` (0: typed at the prompt). Every syntax node carries
  /// a location and the evaluator binds them all the time: as a number, copying one retains
  /// nothing (a path longer than 15 bytes is a heap string).
  private var fileNumber: UInt32
  /// The line, counting from 1. A line ends at `\n`, `\r\n` or a lone `\r`.
  public var line: Int
  /// The column, counting Unicode scalars from 1.
  public var column: Int

  /// A location at `line` and `column` (both 1-based), in `file` if there is one.
  public init(file: String? = nil, line: Int, column: Int) {
    self.fileNumber = SourceFiles.number(of: file)
    self.line = line
    self.column = column
  }

  /// The script's file name as the user gave it, or `nil` for input typed at the prompt.
  public var file: String? {
    get { SourceFiles.name(fileNumber) }
    set { fileNumber = SourceFiles.number(of: newValue) }
  }

  /// `file.rnn:3:7`, or `3:7` without a file.
  public var description: String {
    let position = "\(line):\(column)"
    guard let file else { return position }
    return "\(file):\(position)"
  }
}

/// The file names locations refer to, each numbered once for the life of the process (a session
/// sources a handful of files; numbering them never ends, but neither does a session's history).
enum SourceFiles {
  private static let table = Mutex<(numbers: [String: UInt32], names: [String])>(([:], []))

  /// The number of `file` (0 for none), numbering it if it is new.
  static func number(of file: String?) -> UInt32 {
    guard let file else { return 0 }
    return table.withLock { t in
      if let n = t.numbers[file] { return n }
      t.names.append(file)
      let n = UInt32(t.names.count)
      t.numbers[file] = n
      return n
    }
  }

  /// The file numbered `n`, or nil for 0.
  static func name(_ n: UInt32) -> String? {
    n == 0 ? nil : table.withLock { $0.names[Int(n) - 1] }
  }
}

/// A span of source from `start` up to, but not including, `end`.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
  /// The first character of the span.
  public var start: SourceLocation
  /// The position just after the last character of the span.
  public var end: SourceLocation

  /// The span from `start` up to (not including) `end`.
  public init(start: SourceLocation, end: SourceLocation) {
    self.start = start
    self.end = end
  }

  /// `file.rnn:3:7-3:12` (the start, then the end's line and column).
  public var description: String { "\(start)-\(end.line):\(end.column)" }
}

/// The text of line `number` (1-based) of `source`, without its line break, or `nil` if the
/// source has fewer lines. Lines are split exactly as the lexer counts them (`\n`, `\r\n`, `\r`),
/// so `sourceLine(d.location.line, in: source)` is the line a diagnostic points into.
public func sourceLine(_ number: Int, in source: String) -> String? {
  guard number >= 1 else { return nil }
  var line = 1
  var text = String.UnicodeScalarView()
  var previousWasCarriageReturn = false
  for scalar in source.unicodeScalars {
    defer { previousWasCarriageReturn = scalar == "\r" }
    if scalar == "\n" && previousWasCarriageReturn { continue }  // the rest of a \r\n
    if scalar == "\n" || scalar == "\r" {
      if line == number { return String(text) }
      line += 1
      continue
    }
    if line == number { text.append(scalar) }
  }
  return line == number ? String(text) : nil
}
