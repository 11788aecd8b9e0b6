// Gathering input lines into one chunk until its brackets close (`Shell.run(_:file:)`), in linear
// time and bounded memory.
//
// `Parser.needsMoreInput` lexes the whole chunk, so asking it after every line of a long open
// bracket costs O(lines²) (10,000 lines of a list literal took 177 s). Instead each line is lexed on
// its own and the bracket depth kept as the lexer keeps it (an opening bracket pushes, a closing one
// pops whatever is innermost); the whole chunk is lexed again only when that depth says the chunk
// may be complete, or the line has a quote (a string may span lines, and inside one the per-line
// count is wrong), and `Parser.needsMoreInput` has the last word. A chunk over `maxBytes` (1 MiB)
// or `maxLines` (10,000) is refused with one message instead of being gathered further.

import RNNScript

/// The lines of one statement being typed or read, and whether they form a complete chunk.
struct StatementGatherer {
  /// The longest statement accepted, in bytes of UTF-8.
  static let maxBytes = 1 << 20
  /// The most lines one statement may take.
  static let maxLines = 10_000

  /// The chunk so far (lines joined with "\n").
  private(set) var text = ""
  private(set) var lineCount = 0
  private var bytes = 0
  /// Bracket depth as the lexer counts it, exact while `depthIsExact`.
  private var depth = 0
  private var depthIsExact = true

  var isEmpty: Bool { lineCount == 0 }

  /// What adding a line gave.
  enum Outcome: Equatable {
    /// The chunk is complete: run it.
    case complete
    /// A bracket or string is still open: read another line.
    case needsMore
    /// The chunk passed a limit; it was dropped (the message says which).
    case tooLong(String)
  }

  mutating func add(_ line: String) -> Outcome {
    lineCount += 1
    bytes += line.utf8.count + (lineCount > 1 ? 1 : 0)
    if bytes > StatementGatherer.maxBytes || lineCount > StatementGatherer.maxLines {
      let what =
        bytes > StatementGatherer.maxBytes
        ? "longer than \(StatementGatherer.maxBytes) bytes (1 MiB)"
        : "longer than \(StatementGatherer.maxLines) lines"
      reset()
      return .tooLong("this statement is \(what); it was skipped")
    }
    text += (lineCount > 1 ? "\n" : "") + line
    let hasQuote = line.utf8.contains(UInt8(ascii: "\"")) || line.utf8.contains(UInt8(ascii: "'"))
    if depthIsExact && !hasQuote {
      for token in Lexer(source: line).tokenize() {
        switch token.kind {
        case .leftParen, .leftBracket, .leftBrace: depth += 1
        case .rightParen, .rightBracket, .rightBrace: depth = max(0, depth - 1)
        default: break
        }
      }
      if depth > 0 { return .needsMore }
    }
    if Parser.needsMoreInput(text) {
      recount()
      return .needsMore
    }
    return .complete
  }

  /// Starts a new chunk.
  mutating func reset() {
    self = StatementGatherer()
  }

  /// Counts the depth over the whole chunk again (after a line with a quote). While the chunk
  /// ends inside a string the per-line count cannot be trusted, so every line is checked whole.
  private mutating func recount() {
    let tokens = Lexer(source: text).tokenize()
    var d = 0
    var insideString = false
    for token in tokens {
      switch token.kind {
      case .leftParen, .leftBracket, .leftBrace: d += 1
      case .rightParen, .rightBracket, .rightBrace: d = max(0, d - 1)
      case .invalid(let diagnostic) where diagnostic.message.hasPrefix("unterminated string"): insideString = true
      default: break
      }
    }
    depth = d
    depthIsExact = !insideString
  }
}
