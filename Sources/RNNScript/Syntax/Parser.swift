// The parser: tokens → statements, by recursive descent with one method per grammar rule, in
// Crafting Interpreters' vocabulary (`match`, `check`, `advance`, `peek`, `previous`, `consume`).
// A syntax error abandons its statement: `synchronize()` skips to the next newline or `;`, and
// parsing resumes there, so one run reports every broken statement. Statement rules are in this
// file, expression rules in Parser+Expressions.swift.
//
// # Grammar (EBNF)
//
// Tokens (see Lexer.swift): the quoted symbols, and
//
//     NAME     letter or "_", then letters, digits, "_" (ASCII); keywords below are not names
//     NUMBER   digits [ "." digits ] [ ( "e" | "E" ) [ "+" | "-" ] digits ], "_" between digits
//     STRING   "…" or '…', may span lines; escapes \" \' \\ \n \t \r
//     NEWLINE  a line break outside brackets (inside an open "(" or "[" it is whitespace)
//
// `#` starts a comment that runs to the end of the line.
//
//     script      = [ statement ] { separator [ statement ] } EOF ;
//     separator   = NEWLINE | ";" ;
//     statement   = assignment | command | expression ;
//     assignment  = NAME "=" ( command | expression ) ;      (* NAME must not be a command *)
//     command     = VERB { argument } { option } ;
//     argument    = unary ;                                  (* separated by spaces, see below *)
//     option      = NAME ":" expression ;                    (* each key at most once *)
//     expression  = term ;
//     term        = factor { ( "+" | "-" ) factor } ;
//     factor      = unary { ( "*" | "/" ) unary } ;
//     unary       = "-" unary | postfix ;
//     postfix     = primary { "." NAME | "[" expression "]" } ;
//     primary     = NUMBER | STRING | boolean | none | call | NAME | list | "(" expression ")" ;
//     boolean     = "true" | "True" | "false" | "False" ;
//     none        = "none" | "None" ;
//     call        = NAME "(" [ labelled { "," labelled } [ "," ] ] ")" ;
//     labelled    = [ NAME ":" ] expression ;                (* positional first; labels once *)
//     list        = "[" [ expression { "," expression } [ "," ] ] "]" ;
//
// Which rule applies where the grammar is ambiguous:
//
// * VERB is a NAME in the command set given to the parser, when the next token is not `=` or `.`,
//   nor a `[` or `(` written right against it: `train net task` and `plot [1, 2]` are commands,
//   `train = 1` (an error), `save.x`, `plot[0]` and `print(x)` are not.
// * Command arguments are separated by spaces: inside an argument, `[` and `(` continue it only
//   when written right against it. `ablate W_rec 3 -1` has three arguments, `plot x[0]` one,
//   `plot x [0]` two; `print a + 1` is an error asking for `print (a + 1)`. Options follow the
//   positional arguments; their values are full expressions (`trial: n - 1`).
// * A statement starting with a NAME that is not a command, followed by a name or literal on the
//   same line, is reported as an unknown command: `trian net task`. So is such a right-hand side
//   of an assignment: `acc = acuracy net task`.
// * Expressions nest at most `Parser.maximumDepth` levels (brackets, operators, field accesses).

/// Parses `.rnn` source into statements and diagnostics.
///
///     let parser = Parser(source: text, file: "pd.rnn", commands: verbs)
///     let (statements, diagnostics) = parser.parse()
///
/// Statements with a syntax error are left out of `statements`; each such error is one of
/// `diagnostics`, in source order.
public final class Parser {
  /// How deeply expressions may nest before the parser gives up on them with a diagnostic.
  public static let maximumDepth = 256

  /// The command verbs (owned by the evaluator's command table).
  let commands: Set<String>
  /// The command verbs in alphabetical order, for suggestions.
  let commandList: [String]
  /// The tokens, ending with `.endOfFile`.
  let tokens: [Token]
  /// The outermost `(` or `[` never closed, if any.
  let unclosedBracket: Token?
  /// The source as Unicode scalars, to cut out each statement's text.
  let scalars: [Unicode.Scalar]
  /// The index of the next token to read.
  var current = 0
  /// How deeply the expression being read is nested so far.
  var depth = 0

  /// A parser for `source`, read from `file` (or `nil` at the prompt); `commands` are the verbs
  /// that make a statement a command.
  public init(source: String, file: String? = nil, commands: Set<String>) {
    let scan = Lexer(source: source, file: file).scan()
    self.commands = commands
    self.commandList = commands.sorted()
    self.tokens = scan.tokens
    self.unclosedBracket = scan.unclosedBrackets.first
    self.scalars = Array(source.unicodeScalars)
  }

  /// Whether `text` typed at the prompt is unfinished, so the shell should read another line:
  /// a `(` or `[` is still open, or a string is unterminated.
  public static func needsMoreInput(_ text: String) -> Bool {
    let scan = Lexer(source: text).scan()
    return !scan.unclosedBrackets.isEmpty || scan.endsInsideString
  }

  /// All statements that parsed, and a diagnostic for each one that did not, in source order.
  public func parse() -> (statements: [ParsedStatement], diagnostics: [Diagnostic]) {
    current = 0
    var statements: [ParsedStatement] = []
    var diagnostics: [Diagnostic] = []
    while !isAtEnd {
      if match(.newline, .semicolon) { continue }
      do throws(Diagnostic) {
        statements.append(try parsedStatement())
      } catch {
        diagnostics.append(error)
        synchronize()
      }
    }
    return (statements, reportingUnclosedBracket(diagnostics))
  }

  // MARK: - Statements

  /// A statement with its source text; it must end at a newline, `;` or the end of input.
  func parsedStatement() throws(Diagnostic) -> ParsedStatement {
    let first = peek
    let statement = try self.statement()
    try expectStatementEnd()
    let last = previous
    let range = SourceRange(start: first.location, end: last.range.end)
    return ParsedStatement(statement: statement, range: range, text: text(from: first, to: last))
  }

  /// statement = assignment | command | expression
  func statement() throws(Diagnostic) -> Statement {
    if peek.name != nil && next.kind == .equals { return try assignment() }
    if let command = try commandIfPresent() { return .command(command) }
    let first = peek
    let expression = try self.expression()
    if check(.equals) {
      throw Diagnostic(
        location: first.location, length: columns(from: first, through: previous),
        message: "cannot assign to '\(abbreviated(expression.description))': only a name can be "
          + "assigned to")
    }
    return .expression(expression)
  }

  /// assignment = NAME "=" ( command | expression )
  func assignment() throws(Diagnostic) -> Statement {
    let target = advance()
    advance()  // "="
    let name = target.text
    guard !commands.contains(name) else {
      throw Diagnostic(
        location: target.location, length: target.length,
        message: "cannot assign to '\(name)': it is a command")
    }
    if let command = try commandIfPresent() {
      return .assignment(name: name, location: target.location, value: .command(command))
    }
    let value = try expression()
    return .assignment(name: name, location: target.location, value: .expression(value))
  }

  /// A command if the next tokens start one (see VERB in the grammar), `nil` if they start an
  /// expression; an error if they look like a command whose verb is unknown.
  func commandIfPresent() throws(Diagnostic) -> Command? {
    guard let word = peek.name else { return nil }
    let next = self.next
    if commands.contains(word) {
      let attached = (next.kind == .leftParen || next.kind == .leftBracket) && !next.followsSpace
      if next.kind == .equals || next.kind == .dot || attached { return nil }
      return try command()
    }
    guard next.kind.looksLikeArgument else { return nil }
    throw Diagnostic(
      location: peek.location, length: peek.length,
      message: "unknown command '\(abbreviated(word))'",
      suggestion: suggestion(for: word, among: commandList))
  }

  /// command = VERB { argument } { option }
  func command() throws(Diagnostic) -> Command {
    let verb = advance()
    var command = Command(name: verb.text, location: verb.location)
    while !peek.kind.endsStatement {
      if peek.name != nil && next.kind == .colon {
        command.options.append(try option(after: command.options))
      } else if peek.name != nil && next.kind == .equals {
        throw equalsInsteadOfColon(for: "options")
      } else if peek.kind == .plus || peek.kind == .star || peek.kind == .slash {
        throw error(
          "arithmetic in a command argument needs parentheses, as in '(a + 1)'", at: peek)
      } else if peek.kind.canStartArgument {
        guard command.options.isEmpty else {
          throw error(
            "positional argument after options (positional arguments come first)", at: peek)
        }
        command.arguments.append(try argument())
      } else {
        break  // expectStatementEnd() reports whatever this is
      }
    }
    return command
  }

  /// argument = unary (whose `[` and `(` must be written right against what they follow)
  func argument() throws(Diagnostic) -> Expression {
    try unary(spaceSeparated: true)
  }

  /// option = NAME ":" expression; `earlier` are the options already read, to reject repeats.
  func option(after earlier: [Argument]) throws(Diagnostic) -> Argument {
    let key = advance()
    guard !earlier.contains(where: { $0.label == key.text }) else {
      throw error("option '\(key.text)' is given twice", at: key)
    }
    advance()  // ":"
    return Argument(label: key.text, value: try expression(), location: key.location)
  }

  /// The error for `key=value` where `key: value` was meant, suggesting the corrected text.
  func equalsInsteadOfColon(for what: String) -> Diagnostic {
    let key = advance()
    let equals = advance()
    let value = try? expression()
    let corrected = "\(key.text): " + (value.map { abbreviated($0.description) } ?? "…")
    return Diagnostic(
      location: key.location, length: columns(from: key, through: equals),
      message: "use ':' for \(what), not '='", suggestion: corrected)
  }

  /// A statement must be followed by a newline, `;` or the end of input.
  func expectStatementEnd() throws(Diagnostic) {
    guard !peek.kind.endsStatement else { return }
    if peek.kind == .rightParen || peek.kind == .rightBracket {
      throw error("unmatched '\(peek.text)'", at: peek)
    }
    throw error("expected end of statement, found \(peek.displayName)", at: peek)
  }

  // MARK: - Recovery

  /// Skips to the end of the current statement (a newline, `;` or the end of input), so that
  /// parsing can resume with the next one.
  func synchronize() {
    while !peek.kind.endsStatement { advance() }
  }

  /// A bracket left open swallows the rest of the source, so errors at the end of input are
  /// replaced by one saying which bracket is never closed, placed in source order.
  func reportingUnclosedBracket(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
    guard let bracket = unclosedBracket else { return diagnostics }
    let end = tokens[tokens.count - 1].location
    var result = diagnostics.filter { $0.location != end }
    let unclosed = Diagnostic(
      location: bracket.location, message: "'\(bracket.text)' is never closed")
    let position = result.firstIndex { isBefore(bracket.location, $0.location) } ?? result.count
    result.insert(unclosed, at: position)
    return result
  }

  // MARK: - Helpers (Crafting Interpreters' vocabulary)

  /// The next token, not yet consumed.
  var peek: Token { tokens[current] }

  /// The token after `peek` (the end-of-file token at the end).
  var next: Token { tokens[min(current + 1, tokens.count - 1)] }

  /// The token most recently consumed.
  var previous: Token { tokens[max(current - 1, 0)] }

  /// Whether only the end-of-file token is left.
  var isAtEnd: Bool { peek.kind == .endOfFile }

  /// Consumes the next token and returns it (never moves past the end-of-file token).
  @discardableResult
  func advance() -> Token {
    let token = peek
    if !isAtEnd { current += 1 }
    return token
  }

  /// Whether the next token is of `kind` (for kinds without a value: punctuation, separators).
  func check(_ kind: Token.Kind) -> Bool { peek.kind == kind }

  /// Consumes the next token if it is one of `kinds`.
  func match(_ kinds: Token.Kind...) -> Bool {
    guard kinds.contains(peek.kind) else { return false }
    advance()
    return true
  }

  /// Consumes the next token, which must be of `kind`; otherwise fails with `message`.
  @discardableResult
  func consume(_ kind: Token.Kind, _ message: String) throws(Diagnostic) -> Token {
    if check(kind) { return advance() }
    throw error("\(message), found \(peek.displayName)", at: peek)
  }

  /// A diagnostic at `token`; an invalid token's own diagnostic (from the lexer) wins.
  func error(_ message: String, at token: Token) -> Diagnostic {
    if case .invalid(let diagnostic) = token.kind { return diagnostic }
    let length = token.range.end.line == token.location.line ? token.length : 1
    return Diagnostic(location: token.location, length: length, message: message)
  }

  // MARK: - Source text

  /// The exact source from the start of `first` to the end of `last`.
  func text(from first: Token, to last: Token) -> String {
    let end = max(first.offset, last.offset + last.length)
    var text = String.UnicodeScalarView()
    text.append(contentsOf: scalars[first.offset..<min(end, scalars.count)])
    return String(text)
  }

  /// Columns from the start of `first` to the end of `last`, or `first`'s length if the two are
  /// on different lines.
  func columns(from first: Token, through last: Token) -> Int {
    guard first.location.line == last.range.end.line else { return first.length }
    return last.range.end.column - first.location.column
  }
}

/// Whether `a` comes before `b` in the source (by line, then column).
private func isBefore(_ a: SourceLocation, _ b: SourceLocation) -> Bool {
  (a.line, a.column) < (b.line, b.column)
}
