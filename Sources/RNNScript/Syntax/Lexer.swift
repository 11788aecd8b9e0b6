// The lexer: source text → tokens. It never fails: anything it cannot read becomes an `.invalid`
// token carrying a diagnostic, and it carries on after it, so the parser can report the problem
// in its place and go on to the next statement.
//
// Rules, in the order they are tried at each position:
//   spaces and tabs              skipped
//   line break                   `.newline`, unless the innermost open bracket is `(` or `[`
//                                (then only whitespace; inside a `{` block it separates statements)
//   `#` … end of line            comment, skipped
//   ( ) [ ] { } , : . ;          punctuation
//   = == != < <= > >= + - * ** / % @   operators (the longest match wins)
//   " … " or ' … '               string; may span lines; escapes \" \' \\ \n \t \r
//   f" … " or f' … '             f-string: text and {expression} or {expression:spec} pieces
//   digit …                      number: 7, 0.9, 1e-3, 64_000 (an `_` must sit between digits)
//   letter or _ …                name, a keyword (if else for in while def return break continue
//                                and or not), or one of true True false False none None
//   anything else                `.invalid` ("unexpected character")
// A byte-order mark at the very start is skipped.

/// Cuts `.rnn` source into tokens.
///
///     Lexer(source: "seed 7").tokenize()
///     // [.name("seed"), .number(7), .endOfFile], each with its text and location
public struct Lexer: Sendable {
  /// The script text.
  public let source: String
  /// The file name put into every location, or `nil` at the prompt.
  public let file: String?

  /// Where the source's first character stands (1:1 unless it is a piece of a larger text, such
  /// as an f-string's expression).
  public let origin: SourceLocation

  /// A lexer for `source`, read from `file` (if any).
  public init(source: String, file: String? = nil, origin: SourceLocation? = nil) {
    self.source = source
    self.file = file
    self.origin = origin ?? SourceLocation(file: file, line: 1, column: 1)
  }

  /// All tokens of the source, ending with `.endOfFile`.
  public func tokenize() -> [Token] { scan().tokens }

  /// Tokens plus what is still open at the end: the parser and `Parser.needsMoreInput` use both.
  func scan() -> Scan {
    var scanner = SourceScanner(scalars: Array(source.unicodeScalars), file: file)
    scanner.line = origin.line
    scanner.column = origin.column
    scanner.startLocation = SourceLocation(file: file, line: origin.line, column: origin.column)
    scanner.run()
    return Scan(
      tokens: scanner.tokens, unclosedBrackets: scanner.openBrackets,
      endsInsideString: scanner.endsInsideString)
  }
}

/// The lexer's result: the tokens, and what was left open at the end of the source.
struct Scan {
  /// All tokens, ending with `.endOfFile`.
  var tokens: [Token]
  /// The `(`, `[` and `{` tokens never closed, outermost first.
  var unclosedBrackets: [Token]
  /// Whether the source ends inside a string literal.
  var endsInsideString: Bool
}

/// The lexer's working state: a cursor over the scalars and the tokens produced so far.
private struct SourceScanner {
  let scalars: [Unicode.Scalar]
  let file: String?
  var tokens: [Token] = []
  var openBrackets: [Token] = []
  var endsInsideString = false
  /// Whether whitespace, a comment or a line break was skipped since the last token.
  var sawSpace = true

  // The cursor: index into `scalars`, and its line and column.
  var index = 0
  var line = 1
  var column = 1
  // Where the token being read began.
  var start = 0
  var startLocation = SourceLocation(line: 1, column: 1)

  /// A location in the file, to copy.
  let fileStart: SourceLocation

  init(scalars: [Unicode.Scalar], file: String?) {
    self.scalars = scalars
    self.file = file
    fileStart = SourceLocation(file: file, line: 1, column: 1)
    startLocation = fileStart
  }

  // MARK: - Main loop

  mutating func run() {
    if scalars.first == "\u{FEFF}" { advance() }  // byte-order mark
    while !isAtEnd {
      begin()
      scanToken()
    }
    begin()
    add(.endOfFile)
  }

  mutating func scanToken() {
    let c = advance()
    switch c {
    case " ", "\t": sawSpace = true
    case "\n", "\r": lineBreak(c)
    case "#": skipComment()
    case "(": openBracket(.leftParen)
    case "[": openBracket(.leftBracket)
    case "{": openBracket(.leftBrace)
    case ")": closeBracket(.rightParen)
    case "]": closeBracket(.rightBracket)
    case "}": closeBracket(.rightBrace)
    case ",": add(.comma)
    case ":": add(.colon)
    case ".": add(.dot)
    case "=": add(matchNext("=") ? .equalEqual : .equals)
    case "!":
      if matchNext("=") {
        add(.bangEqual)
      } else {
        addInvalid("unexpected character '!' (write 'not x', or '!=' for 'not equal')")
      }
    case "<": add(matchNext("=") ? .lessEqual : .less)
    case ">": add(matchNext("=") ? .greaterEqual : .greater)
    case "+": add(.plus)
    case "-": add(.minus)
    case "*": add(matchNext("*") ? .doubleStar : .star)
    case "/": add(.slash)
    case "%": add(.percent)
    case "@": add(.at)
    case ";": add(.semicolon)
    case "\"", "'": string(quote: c)
    default:
      if isDigit(c) {
        number()
      } else if isNameStart(c) {
        name()
      } else {
        unexpectedCharacter(c)
      }
    }
  }

  // MARK: - Cursor

  var isAtEnd: Bool { index >= scalars.count }

  /// Consumes the next scalar if it is `c`.
  mutating func matchNext(_ c: Unicode.Scalar) -> Bool {
    guard peek() == c else { return false }
    advance()
    return true
  }

  func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
    index + ahead < scalars.count ? scalars[index + ahead] : nil
  }

  /// Moves past one scalar, keeping line and column up to date. In `\r\n` the `\r` counts as an
  /// ordinary column and the `\n` as the line break.
  @discardableResult
  mutating func advance() -> Unicode.Scalar {
    let c = scalars[index]
    index += 1
    if c == "\n" || (c == "\r" && peek() != "\n") {
      line += 1
      column = 1
    } else {
      column += 1
    }
    return c
  }

  mutating func begin() {
    start = index
    startLocation = here
  }

  /// The cursor's location (the file's number is looked up once, in `init`).
  var here: SourceLocation {
    var l = fileStart
    l.line = line
    l.column = column
    return l
  }

  /// The token from `start` to the cursor.
  mutating func add(_ kind: Token.Kind) {
    var text = String.UnicodeScalarView()
    text.append(contentsOf: scalars[start..<index])
    let range = SourceRange(start: startLocation, end: here)
    tokens.append(
      Token(kind: kind, text: String(text), range: range, offset: start, followsSpace: sawSpace))
    sawSpace = false
  }

  /// An `.invalid` token from `start` to the cursor, reporting `message`.
  mutating func addInvalid(_ message: String, length: Int? = nil, suggestion: String? = nil) {
    let diagnostic = Diagnostic(
      location: startLocation, length: length ?? max(1, index - start), message: message,
      suggestion: suggestion)
    add(.invalid(diagnostic))
  }

  // MARK: - Layout: line breaks, brackets, comments

  mutating func lineBreak(_ c: Unicode.Scalar) {
    if c == "\r" && peek() == "\n" { advance() }
    // Inside `(` or `[` a line break is whitespace; inside `{` (a block) it separates statements.
    if openBrackets.last.map({ $0.kind == .leftBrace }) ?? true { add(.newline) }
    sawSpace = true
  }

  mutating func openBracket(_ kind: Token.Kind) {
    add(kind)
    openBrackets.append(tokens[tokens.count - 1])
  }

  /// A closing bracket closes the innermost open one, matching or not: the parser reports a
  /// mismatch, and the lexer keeps its nesting count sensible.
  mutating func closeBracket(_ kind: Token.Kind) {
    add(kind)
    _ = openBrackets.popLast()
  }

  mutating func skipComment() {
    while let c = peek(), c != "\n", c != "\r" { advance() }
    sawSpace = true
  }

  // MARK: - Strings

  /// A string between `quote`s. It may span lines; a bad escape is reported once the whole
  /// string is read, so lexing resumes after it.
  mutating func string(quote: Unicode.Scalar) {
    var value = String.UnicodeScalarView()
    var badEscape: (location: SourceLocation, text: String)?
    while !isAtEnd {
      let escapeLocation = here
      let c = advance()
      if c == quote {
        if let badEscape {
          addBadEscape(badEscape.text, at: badEscape.location)
        } else {
          add(.string(String(value)))
        }
        return
      }
      guard c == "\\", !isAtEnd else {
        value.append(c)
        continue
      }
      let e = advance()
      if let resolved = escaped(e) {
        value.append(resolved)
      } else if badEscape == nil {
        badEscape = (escapeLocation, "\\" + String(e))
      }
    }
    unterminatedString()
  }

  func escaped(_ e: Unicode.Scalar) -> Unicode.Scalar? {
    switch e {
    case "n": return "\n"
    case "t": return "\t"
    case "r": return "\r"
    case "\\", "\"", "'": return e
    default: return nil
    }
  }

  mutating func addBadEscape(_ text: String, at location: SourceLocation) {
    let diagnostic = Diagnostic(
      location: location, length: text.unicodeScalars.count,
      message: "unknown escape '\(abbreviated(text))' in string (write '\\\\' for a backslash)")
    add(.invalid(diagnostic))
  }

  /// The source ended inside a string: underline from the opening quote to the end of its line.
  mutating func unterminatedString() {
    endsInsideString = true
    var length = 0
    while start + length < scalars.count, scalars[start + length] != "\n",
      scalars[start + length] != "\r"
    {
      length += 1
    }
    addInvalid("unterminated string", length: max(1, length))
  }

  // MARK: - Numbers and names

  /// Digits, an optional fraction, an optional exponent. Letters or `_` glued to the end make the
  /// whole run one invalid number (`3x`), so it is never read as two arguments.
  mutating func number() {
    while let c = peek(), isDigit(c) || c == "_" { advance() }
    if peek() == ".", let next = peek(1), isDigit(next) {
      advance()
      while let c = peek(), isDigit(c) || c == "_" { advance() }
    }
    if let e = peek(), e == "e" || e == "E" {
      let signed = peek(1) == "+" || peek(1) == "-"
      if let digit = peek(signed ? 2 : 1), isDigit(digit) {
        advance(times: signed ? 2 : 1)
        while let c = peek(), isDigit(c) || c == "_" { advance() }
      }
    }
    if let c = peek(), isNameContinue(c) {
      while let c = peek(), isNameContinue(c) { advance() }
      addInvalid("invalid number '\(abbreviated(currentText))'")
      return
    }
    finishNumber()
  }

  mutating func finishNumber() {
    let text = currentText
    guard underscoresSitBetweenDigits(text) else {
      addInvalid("invalid number '\(abbreviated(text))': '_' must sit between digits")
      return
    }
    guard let value = Double(text.filter { $0 != "_" }), value.isFinite else {
      addInvalid("number '\(abbreviated(text))' is too large")
      return
    }
    add(.number(value))
  }

  func underscoresSitBetweenDigits(_ text: String) -> Bool {
    let characters = Array(text.unicodeScalars)
    for (i, c) in characters.enumerated() where c == "_" {
      guard i > 0, i + 1 < characters.count, isDigit(characters[i - 1]),
        isDigit(characters[i + 1])
      else { return false }
    }
    return true
  }

  mutating func name() {
    while let c = peek(), isNameContinue(c) { advance() }
    if currentText == "f", let q = peek(), q == "\"" || q == "'" {
      advance()
      formatString(quote: q)
      return
    }
    switch currentText {
    case "true", "True": add(.boolean(true))
    case "false", "False": add(.boolean(false))
    case "none", "None": add(.noneLiteral)
    case let word:
      if let k = Keyword(rawValue: word) { add(.keyword(k)) } else { add(.name(word)) }
    }
  }

  // MARK: - f-strings

  /// `f"…{expression:spec}…"`: text pieces (escapes resolved, `{{` and `}}` for braces) and the
  /// source of each expression with where it starts, for the parser to read.
  mutating func formatString(quote: Unicode.Scalar) {
    var segments: [FormatSegment] = []
    var text = String.UnicodeScalarView()
    func flushText() {
      if !text.isEmpty { segments.append(.text(String(text))) }
      text = String.UnicodeScalarView()
    }
    while !isAtEnd {
      let c = advance()
      if c == quote {
        flushText()
        add(.formatString(segments))
        return
      }
      switch c {
      case "\\":
        guard !isAtEnd else { continue }
        let e = advance()
        text.append(escaped(e) ?? e)
      case "{":
        if matchNext("{") { text.append("{"); continue }
        flushText()
        guard let segment = formatExpression(quote: quote) else { return }
        segments.append(segment)
      case "}":
        if matchNext("}") { text.append("}"); continue }
        addInvalid("single '}' in an f-string (write '}}' for a brace)")
        skipRestOfString(quote: quote)
        return
      default: text.append(c)
      }
    }
    unterminatedString()
  }

  /// The `{…}` of an f-string, after its `{`: the expression up to a top-level `:` or the closing
  /// `}`, and the format specification after the `:`. Nil (with an invalid token added) on error.
  mutating func formatExpression(quote: Unicode.Scalar) -> FormatSegment? {
    let location = here, offset = index
    var source = String.UnicodeScalarView()
    var spec: String.UnicodeScalarView? = nil
    var depth = 0
    var innerQuote: Unicode.Scalar? = nil
    while !isAtEnd {
      let c = peek()!
      if c == quote && innerQuote == nil { break }
      advance()
      if spec != nil {
        if c == "}" {
          return .expression(source: String(source), location: location, offset: offset, spec: String(spec!))
        }
        spec!.append(c)
        continue
      }
      if let q = innerQuote {
        if c == q { innerQuote = nil }
        source.append(c)
        continue
      }
      switch c {
      case "\"", "'": innerQuote = c
      case "(", "[", "{": depth += 1
      case ")", "]": depth -= 1
      case "}" where depth == 0:
        guard !String(source).allSatisfy({ $0 == " " }) else {
          addInvalid("empty expression in an f-string")
          skipRestOfString(quote: quote)
          return nil
        }
        return .expression(source: String(source), location: location, offset: offset, spec: nil)
      case "}": depth -= 1
      case ":" where depth == 0:
        spec = String.UnicodeScalarView()
        continue
      default: break
      }
      source.append(c)
    }
    addInvalid("'{' is never closed in this f-string")
    skipRestOfString(quote: quote)
    return nil
  }

  /// After an error inside an f-string: skips to its closing quote so lexing resumes after it.
  mutating func skipRestOfString(quote: Unicode.Scalar) {
    while let c = peek(), c != quote, c != "\n" { advance() }
    if peek() == quote { advance() }
  }

  mutating func advance(times: Int) {
    for _ in 0..<times { advance() }
  }

  var currentText: String {
    var text = String.UnicodeScalarView()
    text.append(contentsOf: scalars[start..<index])
    return String(text)
  }

  // MARK: - Stray characters

  /// A character that starts no token. Curly quotes get a hint, as they usually come from
  /// copying a script out of a word processor.
  mutating func unexpectedCharacter(_ c: Unicode.Scalar) {
    let code = "U+" + String(c.value, radix: 16, uppercase: true).leftPadded(to: 4)
    let shown: String
    if isUnsafeForTerminal(c) {
      shown = code
    } else {
      shown = c.isASCII ? "'\(c)'" : "'\(c)' (\(code))"
    }
    var suggestion: String?
    switch c {
    case "\u{201C}", "\u{201D}": suggestion = "\""
    case "\u{2018}", "\u{2019}": suggestion = "'"
    default: suggestion = nil
    }
    addInvalid("unexpected character \(shown)", length: 1, suggestion: suggestion)
  }
}

// MARK: - Character classes (ASCII only, outside strings)

private func isDigit(_ c: Unicode.Scalar) -> Bool { ("0"..."9").contains(c) }

private func isNameStart(_ c: Unicode.Scalar) -> Bool {
  ("a"..."z").contains(c) || ("A"..."Z").contains(c) || c == "_"
}

private func isNameContinue(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || isDigit(c) }

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}
