// The parser: tokens → statements, by recursive descent with one method per grammar rule, in
// Crafting Interpreters' vocabulary (`match`, `check`, `advance`, `peek`, `previous`, `consume`).
// A syntax error abandons its statement: `synchronize(from:)` skips to the next newline or `;`
// outside its blocks, and parsing resumes there, so one run reports every broken statement.
// Statement rules are in this file, blocks and control flow in Parser+ControlFlow.swift,
// expression rules in Parser+Expressions.swift.
//
// # Grammar (EBNF)
//
// Tokens (see Lexer.swift): the quoted symbols, and
//
//     NAME     letter or "_", then letters, digits, "_" (ASCII); keywords below are not names
//     NUMBER   digits [ "." digits ] [ ( "e" | "E" ) [ "+" | "-" ] digits ], "_" between digits
//     STRING   "…" or '…', may span lines; escapes \" \' \\ \n \t \r
//     FSTRING  f"…" or f'…' with { expression [ ":" spec ] } pieces; {{ and }} for braces
//     NEWLINE  a line break outside brackets, or directly inside a "{" block (inside an open "("
//              or "[", and inside a record literal, it is whitespace)
//     keywords if else for in while def return break continue and or not
//
// `#` starts a comment that runs to the end of the line.
//
//     script      = [ statement ] { separator [ statement ] } EOF ;
//     separator   = NEWLINE | ";" ;
//     statement   = if | for | while | def | return | "break" | "continue"
//                 | assignment | command | expression ;
//     block       = "{" { separator } [ statement { separator { separator } statement } ] { separator } "}" ;
//     if          = "if" expression block { "else" "if" expression block } [ "else" block ] ;
//                                                          (* "else" on the line of the "}" *)
//     for         = "for" NAME "in" expression block ;
//     while       = "while" expression block ;
//     def         = "def" NAME "(" [ parameter { "," parameter } [ "," ] ] ")" block ;
//     parameter   = NAME [ ":" expression ] ;               (* defaults after the others *)
//     return      = "return" [ expression ] ;               (* only inside a def *)
//     assignment  = target "=" ( command | expression ) ;   (* a NAME must not be a command *)
//     target      = NAME { "." NAME | "[" subscripts "]" } ;
//     command     = VERB { argument } { option } ;
//     argument    = expression ;                            (* separated by spaces, see below *)
//     option      = NAME ":" expression ;                   (* each key at most once *)
//     expression  = disjunction ;
//     disjunction = conjunction { "or" conjunction } ;
//     conjunction = negation { "and" negation } ;
//     negation    = "not" negation | comparison ;
//     comparison  = sum [ ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) sum ] ;   (* no chains *)
//     sum         = product { ( "+" | "-" ) product } ;
//     product     = unary { ( "*" | "/" | "%" | "@" ) unary } ;
//     unary       = ( "-" | "+" ) unary | power ;
//     power       = postfix [ "**" unary ] ;
//     postfix     = primary { "." NAME | "[" subscripts "]" | "(" arguments ")" } ;
//     primary     = NUMBER | STRING | FSTRING | boolean | none | call | NAME | list | record
//                 | "(" expression ")" ;
//     boolean     = "true" | "True" | "false" | "False" ;
//     none        = "none" | "None" ;
//     call        = NAME "(" arguments ")" ;
//     arguments   = [ labelled { "," labelled } [ "," ] ] ;
//     labelled    = [ NAME ":" ] expression | "**" expression ;   (* positional first; labels once *)
//     subscripts  = subscript { "," subscript } [ "," ] ;
//     subscript   = expression | [ expression ] ":" [ expression ] [ ":" [ expression ] ] ;
//     list        = "[" [ expression { "," expression } [ "," ] ] "]" ;
//     record      = "{" [ field { "," field } [ "," ] ] "}" ;
//     field       = ( NAME | STRING ) ":" expression ;
//
// Which rule applies where the grammar is ambiguous:
//
// * VERB is a NAME in the command set given to the parser, when the next token is not `=` or `.`,
//   nor a `[` or `(` written right against it: `train net task` and `plot [1, 2]` are commands,
//   `print(x)` calls the command as a function, and `train = 1`, `save.x` and `plot[0]` are
//   errors (a command's name is not a value; as a command argument it is a word: `help train`).
// * Command arguments are separated by spaces. An operator with spaces on both sides or on
//   neither joins its operands into one argument: `print 6 * 7`, `print 1+1`, `print acc * 100`.
//   A `-` or `+` glued to the token after it, with a space before, starts a new argument:
//   `ablate W_rec 3 -1` has three arguments. `[` and `(` continue an argument only when written
//   right against it: `plot x[0]` has one argument, `plot x [0]` two. Options follow the
//   positional arguments; their values are full expressions (`trial: n - 1`).
// * A `{` after `if …`, `else`, `for … in …`, `while …` or `def …(…)` opens a block; anywhere
//   else it opens a record literal.
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
  /// Whether the expression being read is a command argument (the spacing rule applies).
  var inArgument = false
  /// Parameter names of the functions being parsed: inside their bodies these are values even
  /// when a command has the name (`def pd_params(batch, trial)` reads `batch`).
  var parameterNames: Set<String> = []
  /// How many loops and functions enclose the statement being read (`break`, `return`).
  var loopDepth = 0
  var functionDepth = 0
  /// How many blocks enclose the statement being read.
  var blockDepth = 0

  /// A parser for `source`, read from `file` (or `nil` at the prompt); `commands` are the verbs
  /// that make a statement a command. `origin` places a piece of a larger text (an f-string's
  /// expression) where it stands.
  public init(source: String, file: String? = nil, commands: Set<String>, origin: SourceLocation? = nil) {
    let scan = Lexer(source: source, file: file, origin: origin).scan()
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
      let start = current
      do throws(Diagnostic) {
        if check(.rightBrace) { throw error("unmatched '}'", at: peek) }
        statements.append(try parsedStatement())
      } catch {
        diagnostics.append(error)
        synchronize(from: start)
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

  /// statement = if | for | while | def | return | "break" | "continue" | assignment | command
  ///           | expression
  func statement() throws(Diagnostic) -> Statement {
    if case .keyword(let k) = peek.kind {
      switch k {
      case .if: return try ifStatement()
      case .for: return try forStatement()
      case .while: return try whileStatement()
      case .def: return try functionDefinition()
      case .return: return try returnStatement()
      case .break, .continue:
        let token = advance()
        guard loopDepth > 0 else { throw error("'\(k.rawValue)' outside a loop", at: token) }
        return k == .break ? .breakLoop(at: token.location) : .continueLoop(at: token.location)
      case .else:
        throw error("'else' without 'if': write it on the line of the closing brace, as in '} else {'", at: peek)
      default: break
      }
    }
    if peek.name != nil && next.kind == .equals { return try assignment() }
    if let command = try commandIfPresent() { return .command(command) }
    let first = peek
    let expression = try self.expression()
    if check(.equals) {
      guard let target = assignmentTarget(expression) else {
        throw Diagnostic(
          location: first.location, length: columns(from: first, through: previous),
          message: "cannot assign to '\(abbreviated(expression.description))': only a name, a field or an "
            + "indexed part can be assigned to")
      }
      advance()  // "="
      if let command = try commandIfPresent() { return .assignInto(target, value: .command(command)) }
      return .assignInto(target, value: .expression(try self.expression()))
    }
    return .expression(expression)
  }

  /// The target an expression names, if it is a name followed by fields and subscripts.
  func assignmentTarget(_ e: Expression) -> AssignmentTarget? {
    switch e {
    case .name(let name, let at): return AssignmentTarget(name: name, path: [], location: at)
    case .member(let base, let field, let at):
      guard var t = assignmentTarget(base) else { return nil }
      t.path.append(.field(field, at: at))
      return t
    case .index(let base, let subscripts, let at):
      guard var t = assignmentTarget(base) else { return nil }
      t.path.append(.index(subscripts, at: at))
      return t
    default: return nil
    }
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

  /// argument = expression, under the spacing rule (see the grammar).
  func argument() throws(Diagnostic) -> Expression {
    let saved = inArgument
    inArgument = true
    defer { inArgument = saved }
    return try expression()
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

  /// Skips to the end of the statement that began at token `start` (a newline or `;` outside its
  /// blocks, or the end of input), so that parsing can resume with the next one.
  func synchronize(from start: Int) {
    var braces = 0
    current = start
    while !isAtEnd {
      switch peek.kind {
      case .leftBrace: braces += 1
      case .rightBrace: braces = max(0, braces - 1)
      case .newline where braces == 0, .semicolon where braces == 0: return
      default: break
      }
      advance()
    }
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
