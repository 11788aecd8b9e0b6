// Errors that point into a script. The lexer and parser produce them, the evaluator throws them
// for runtime errors, and `render(sourceLine:)` is the one place that decides how they look:
//
//     script.rnn:3:7: error: unknown command 'trian' (did you mean 'train'?)
//         trian net task
//         ^~~~~
//
// At the prompt there is no file name, and the position is left out of the first line
// (`error: unknown command 'trian' (did you mean 'train'?)`): the echoed line and caret show it.

/// An error at a place in the source: what is wrong, how much text it covers, and possibly what
/// the user probably meant.
public struct Diagnostic: Error, Equatable, Sendable, CustomStringConvertible {
  /// Where the offending text starts (its `file` decides whether a position prefix is printed).
  public var location: SourceLocation
  /// How many columns (Unicode scalars) the offending text covers, at least 1.
  public var length: Int
  /// What is wrong, in lower case without a final full stop: `unterminated string`.
  public var message: String
  /// What the user probably meant, shown as `(did you mean '…'?)`, e.g. a command name.
  public var suggestion: String?

  /// A diagnostic at `location`, underlining `length` columns (at least 1).
  public init(location: SourceLocation, length: Int = 1, message: String, suggestion: String? = nil) {
    self.location = location
    self.length = max(1, length)
    self.message = message
    self.suggestion = suggestion
  }

  /// The first line of the rendering: `script.rnn:3:7: error: … (did you mean '…'?)`.
  public var description: String {
    var header = location.file == nil ? "" : "\(location): "
    header += "error: \(message)"
    if let suggestion { header += " (did you mean '\(suggestion)'?)" }
    return header
  }

  /// The diagnostic as the user sees it: the header line, then, if `sourceLine` (the text of
  /// line `location.line`) is given, that line indented by four spaces and a caret line
  /// underlining `length` columns (clipped to the end of the line). Control characters in the
  /// echoed line are shown as `�`, so junk input cannot drive the terminal. A line longer than
  /// `echoWidth` columns is cut to a window of that many around the caret, with `…` marking
  /// each cut, so a 10 MB line gives a short message.
  public func render(sourceLine: String?) -> String {
    guard let sourceLine else { return description }
    let scalars = Array(sourceLine.unicodeScalars)
    let column = min(max(location.column, 1), scalars.count + 1)
    // The window shown: everything, or `echoWidth` scalars with the caret 40 columns in.
    var first = 0, end = scalars.count
    if scalars.count > Diagnostic.echoWidth {
      first = max(0, column - 1 - Diagnostic.echoWidth / 3)
      end = min(scalars.count, first + Diagnostic.echoWidth)
      first = max(0, end - Diagnostic.echoWidth)
    }
    let width = max(1, min(length, max(end, column) + 1 - column, scalars.count + 1 - column))
    var echo = String.UnicodeScalarView()
    var caret = String.UnicodeScalarView()
    if first > 0 {
      echo.append("…")
      caret.append(" ")
    }
    for i in first..<end {
      let scalar = scalars[i]
      echo.append(isUnsafeForTerminal(scalar) ? "\u{FFFD}" : scalar)
      if i < column - 1 { caret.append(scalar == "\t" ? "\t" : " ") }
    }
    if end < scalars.count { echo.append("…") }
    caret.append("^")
    caret.append(contentsOf: String(repeating: "~", count: width - 1).unicodeScalars)
    return description + "\n    " + String(echo) + "\n    " + String(caret)
  }

  /// The most columns of a source line `render` echoes.
  public static let echoWidth = 120
}
