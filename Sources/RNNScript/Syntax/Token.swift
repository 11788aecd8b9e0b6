// The words and symbols of the `.rnn` language, as the lexer cuts them out of the source. A token
// knows its kind (with the value of a literal), its exact source text and where it stands.

/// One lexical unit of a script: a number, a name, a bracket, a statement separator, …
public struct Token: Equatable, Sendable {
  /// What the token is, with the value of a literal or the spelling of a name.
  public enum Kind: Equatable, Sendable {
    // Literals and names.
    /// A number such as `7`, `0.9`, `1e-3` or `64_000` (underscores removed).
    case number(Double)
    /// A quoted string, escapes already resolved.
    case string(String)
    /// `true`/`True` or `false`/`False`.
    case boolean(Bool)
    /// `none` or `None`.
    case noneLiteral
    /// A name: a letter or `_`, then letters, digits and `_` (ASCII only).
    case name(String)
    /// A reserved word: `if`, `for`, `and` … (never a name).
    case keyword(Keyword)
    /// An f-string `f"seed {s}: {acc:.3f}"`, cut into text and `{expression:spec}` pieces.
    case formatString([FormatSegment])

    // Punctuation.
    /// `{` (a block, or a record literal)
    case leftBrace
    /// `}`
    case rightBrace
    /// `(`
    case leftParen
    /// `)`
    case rightParen
    /// `[`
    case leftBracket
    /// `]`
    case rightBracket
    /// `,`
    case comma
    /// `:` between an option key or argument label and its value.
    case colon
    /// `.` before a field name.
    case dot
    /// `=` in an assignment.
    case equals
    /// `+`
    case plus
    /// `-`
    case minus
    /// `*`
    case star
    /// `/`
    case slash
    /// `%`
    case percent
    /// `**`
    case doubleStar
    /// `@` (matrix product)
    case at
    /// `==`
    case equalEqual
    /// `!=`
    case bangEqual
    /// `<`
    case less
    /// `<=`
    case lessEqual
    /// `>`
    case greater
    /// `>=`
    case greaterEqual

    // Statement boundaries.
    /// The end of a line outside brackets (inside `(` or `[` a line break is only whitespace).
    case newline
    /// `;` between two statements on one line.
    case semicolon
    /// The end of the source; always the last token.
    case endOfFile

    /// Something the lexer could not read (stray character, bad number, unterminated string);
    /// the diagnostic says what and where, and the parser reports it as it stands.
    case invalid(Diagnostic)
  }

  /// What the token is.
  public var kind: Kind
  /// The exact source text (quotes and escapes included for strings; empty at the end of file).
  public var text: String
  /// Where the token starts and ends.
  public var range: SourceRange
  /// The position of the first character, counted in Unicode scalars from the start of the source.
  public var offset: Int
  /// The number of Unicode scalars in `text`.
  public var length: Int
  /// Whether whitespace, a comment or a line break comes right before the token (or it is the
  /// first). Command arguments are separated by spaces, so `plot x [1, 2]` has two arguments
  /// while `plot x[1]` has one.
  public var followsSpace: Bool

  /// A token of `kind` spelled `text`, covering `range`, starting at scalar `offset`.
  public init(kind: Kind, text: String, range: SourceRange, offset: Int, followsSpace: Bool = true) {
    self.kind = kind
    self.text = text
    self.range = range
    self.offset = offset
    self.length = text.unicodeScalars.count
    self.followsSpace = followsSpace
  }

  /// Where the token starts.
  public var location: SourceLocation { range.start }

  /// Whether the token is the reserved word `k`.
  func isKeyword(_ k: Keyword) -> Bool { kind == .keyword(k) }

  /// The spelling of a `.name` token, `nil` for any other kind.
  public var name: String? {
    if case .name(let name) = kind { return name }
    return nil
  }

  /// How error messages refer to the token: `name 'net'`, `number 3`, `')'`, `end of line`.
  var displayName: String {
    switch kind {
    case .name: return "name '\(abbreviated(text))'"
    case .number: return "number \(abbreviated(text))"
    case .string: return "string \(abbreviated(text))"
    case .keyword: return "'\(text)'"
    case .formatString: return "f-string \(abbreviated(text))"
    case .newline: return "end of line"
    case .endOfFile: return "end of input"
    case .invalid(let diagnostic): return diagnostic.message
    default: return "'\(text)'"
    }
  }
}

extension Token.Kind {
  /// Whether the token can begin a positional command argument (a unary-level expression).
  var canStartArgument: Bool {
    switch self {
    case .number, .string, .formatString, .boolean, .noneLiteral, .name, .leftBracket, .leftParen, .leftBrace,
      .minus, .plus, .keyword(.not):
      return true
    default:
      return false
    }
  }

  /// Whether the token looks like a command argument after a word: a name or a literal. A word
  /// followed by one of these at the start of a statement is taken for a misspelt command.
  var looksLikeArgument: Bool {
    switch self {
    case .number, .string, .formatString, .boolean, .noneLiteral, .name: return true
    default: return false
    }
  }

  /// Whether the token ends a statement: a newline, `;`, the `}` closing a block, or the end of
  /// the source.
  var endsStatement: Bool {
    switch self {
    case .newline, .semicolon, .rightBrace, .endOfFile: return true
    default: return false
    }
  }
}

/// The reserved words of the language.
public enum Keyword: String, Equatable, Sendable, CaseIterable {
  case `if`, `else`, `for`, `in`, `while`, `def`, `return`, `break`, `continue`, and, or, not
}

/// A piece of an f-string: literal text, or an expression with an optional format specification
/// (Python's mini-language: `.3f`, `>8`, `,d` …).
public enum FormatSegment: Equatable, Sendable {
  case text(String)
  /// The expression's source, where it starts, and the text after its top-level `:`, if any.
  case expression(source: String, location: SourceLocation, offset: Int, spec: String?)
}

/// `text` made safe and short for an error message: at most 32 scalars (then `…`), with control
/// and formatting characters (which could move the terminal's cursor) shown as `�`.
func abbreviated(_ text: String) -> String {
  let limit = 32
  var result = String.UnicodeScalarView()
  for (count, scalar) in text.unicodeScalars.enumerated() {
    if count == limit {
      result.append("…")
      break
    }
    result.append(isUnsafeForTerminal(scalar) ? "\u{FFFD}" : scalar)
  }
  return String(result)
}

/// Control characters (except tab) and invisible formatting characters such as bidirectional
/// overrides: echoing them to a terminal could clear it, move the cursor or reorder the text.
func isUnsafeForTerminal(_ scalar: Unicode.Scalar) -> Bool {
  if scalar == "\t" { return false }
  switch scalar.properties.generalCategory {
  case .control, .format, .lineSeparator, .paragraphSeparator: return true
  default: return false
  }
}
