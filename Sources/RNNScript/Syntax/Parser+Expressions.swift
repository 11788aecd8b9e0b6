// The expression rules of the grammar (see Parser.swift), loosest-binding first:
// expression → disjunction (or) → conjunction (and) → negation (not) → comparison (== != < …)
// → sum (+ -) → product (* / % @) → unary (- +) → power (**) → postfix (. [] ()) → primary.
//
// Nesting is bounded: every rule that puts a node inside another calls `descend()`, which fails
// beyond `Parser.maximumDepth` levels. A loop building `a + b + c …` descends once per operator,
// since the tree it builds is as deep as the chain is long. So no input, however deep, can
// overflow the stack here or in any recursive walk over the tree.
//
// In a command argument (`inArgument`), an operator joins its operands into one argument when it
// has spaces on both sides or on neither (`print 6 * 7`, `print 1+1`); a `-` or `+` with a space
// before it and none after starts a new argument (`ablate W_rec 3 -1`), and `[` or `(` continue
// an argument only when written right against it. Inside brackets the rule is off again.

extension Parser {
  /// expression = disjunction
  func expression() throws(Diagnostic) -> Expression {
    let saved = depth
    defer { depth = saved }
    try descend()
    return try disjunction()
  }

  /// disjunction = conjunction { "or" conjunction }
  func disjunction() throws(Diagnostic) -> Expression {
    try leftAssociative(next: conjunction) { $0.isKeyword(.or) ? .or : nil }
  }

  /// conjunction = negation { "and" negation }
  func conjunction() throws(Diagnostic) -> Expression {
    try leftAssociative(next: negation) { $0.isKeyword(.and) ? .and : nil }
  }

  /// negation = "not" negation | comparison
  func negation() throws(Diagnostic) -> Expression {
    guard peek.isKeyword(.not) else { return try comparison() }
    let not = advance()
    let saved = depth
    defer { depth = saved }
    try descend()
    return .not(try negation(), at: not.location)
  }

  /// comparison = sum [ ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) sum ]   (comparisons do not chain)
  func comparison() throws(Diagnostic) -> Expression {
    let left = try sum()
    guard let op = comparisonOperator(peek), joinsArgument(peek) else { return left }
    let token = advance()
    let saved = depth
    defer { depth = saved }
    try descend()
    let right = try sum()
    if comparisonOperator(peek) != nil {
      throw error("comparisons do not chain: write (a < b) and (b < c)", at: peek)
    }
    return .binary(left, op, right, at: token.location)
  }

  /// sum = product { ( "+" | "-" ) product }
  func sum() throws(Diagnostic) -> Expression {
    try leftAssociative(next: product) { token in
      switch token.kind {
      case .plus: return .add
      case .minus: return .subtract
      default: return nil
      }
    }
  }

  /// product = unary { ( "*" | "/" | "%" | "@" ) unary }
  func product() throws(Diagnostic) -> Expression {
    try leftAssociative(next: { () throws(Diagnostic) -> Expression in try self.unary() }) { token in
      switch token.kind {
      case .star: return .multiply
      case .slash: return .divide
      case .percent: return .remainder
      case .at: return .matrixProduct
      default: return nil
      }
    }
  }

  /// unary = ( "-" | "+" ) unary | power. A `+` leaves no trace in the tree.
  func unary() throws(Diagnostic) -> Expression {
    guard check(.minus) || check(.plus) else { return try power() }
    let sign = advance()
    let saved = depth
    defer { depth = saved }
    try descend()
    let operand = try unary()
    return sign.kind == .minus ? .negate(operand, at: sign.location) : operand
  }

  /// power = postfix [ "**" unary ]   (right-associative, and tighter than unary minus on its
  /// left: -2 ** 2 is -(2 ** 2))
  func power() throws(Diagnostic) -> Expression {
    let base = try postfix()
    guard check(.doubleStar), joinsArgument(peek) else { return base }
    let op = advance()
    let saved = depth
    defer { depth = saved }
    try descend()
    return .binary(base, .power, try unary(), at: op.location)
  }

  /// postfix = primary { "." NAME | "[" subscripts "]" | "(" arguments ")" }
  func postfix() throws(Diagnostic) -> Expression {
    let saved = depth
    defer { depth = saved }
    var expression = try primary()
    while true {
      if match(.dot) {
        try descend()
        let field = try consumeName("a field name after '.'")
        expression = .member(expression, name: field.text, at: field.location)
      } else if check(.leftBracket) && !(inArgument && peek.followsSpace) {
        let bracket = advance()
        try descend()
        let subscripts = try bracketed { () throws(Diagnostic) -> [Subscript] in try self.subscripts() }
        expression = .index(expression, subscripts: subscripts, at: bracket.location)
      } else if check(.leftParen) && !(inArgument && peek.followsSpace) {
        let paren = peek
        try descend()
        let arguments = try bracketed { () throws(Diagnostic) -> [Argument] in try self.arguments(of: "the call") }
        expression = .invoke(expression, arguments: arguments, at: paren.location)
      } else {
        return expression
      }
    }
  }

  /// primary = NUMBER | STRING | FSTRING | boolean | none | call | NAME | list | record | "(" expression ")"
  func primary() throws(Diagnostic) -> Expression {
    let token = peek
    let location = token.location
    switch token.kind {
    case .number(let value):
      advance()
      return .number(value, at: location)
    case .string(let value):
      advance()
      return .string(value, at: location)
    case .formatString(let segments):
      advance()
      return .formatString(try formatPieces(segments), at: location)
    case .boolean(let value):
      advance()
      return .boolean(value, at: location)
    case .noneLiteral:
      advance()
      return .noneLiteral(at: location)
    case .name(let name):
      advance()
      if check(.leftParen) && !(inArgument && peek.followsSpace) {
        let arguments = try bracketed { () throws(Diagnostic) -> [Argument] in try self.arguments(of: "'\(token.text)'") }
        return .call(callee: name, arguments: arguments, at: location)
      }
      // A command's name is never a value (it cannot be assigned); as a command argument it is a
      // word (`help train`).
      if commands.contains(name) && !inArgument && !parameterNames.contains(name) {
        throw error("'\(name)' is a command: start a statement with it, or call it, as in \(name)(…)", at: token)
      }
      return .name(name, at: location)
    case .leftBracket:
      return try bracketed { () throws(Diagnostic) -> Expression in try self.list() }
    case .leftBrace:
      return try bracketed { () throws(Diagnostic) -> Expression in try self.record() }
    case .leftParen:
      return try bracketed { () throws(Diagnostic) -> Expression in try self.grouping() }
    case .keyword(let k):
      throw error("'\(k.rawValue)' is a reserved word and cannot be used here", at: token)
    default:
      throw error("expected an expression, found \(token.displayName)", at: token)
    }
  }

  /// arguments = "(" [ labelled { "," labelled } [ "," ] ] ")"
  func arguments(of what: String) throws(Diagnostic) -> [Argument] {
    advance()  // "("
    var arguments: [Argument] = []
    while !check(.rightParen) {
      arguments.append(try labelled(after: arguments))
      guard match(.comma) else { break }
    }
    try consume(.rightParen, "expected ',' or ')' in the arguments of \(what)")
    return arguments
  }

  /// labelled = [ NAME ":" ] expression | "**" expression; positional arguments come first,
  /// labels only once.
  func labelled(after earlier: [Argument]) throws(Diagnostic) -> Argument {
    let start = peek
    if match(.doubleStar) {
      return Argument(label: nil, value: try expression(), location: start.location, isSplat: true)
    }
    if start.name != nil && next.kind == .equals {
      throw equalsInsteadOfColon(for: "labelled arguments")
    }
    guard start.name != nil && next.kind == .colon else {
      if earlier.contains(where: { $0.label != nil || $0.isSplat }) {
        throw error(
          "positional argument after labelled arguments (positional arguments come first)",
          at: start)
      }
      return Argument(label: nil, value: try expression(), location: start.location)
    }
    if earlier.contains(where: { $0.label == start.text }) {
      throw error("argument '\(start.text)' is given twice", at: start)
    }
    advance()  // the label
    advance()  // ":"
    return Argument(label: start.text, value: try expression(), location: start.location)
  }

  /// subscripts = subscript { "," subscript } "]";  subscript = expression | [ expression ] ":"
  /// [ expression ] [ ":" [ expression ] ]
  func subscripts() throws(Diagnostic) -> [Subscript] {
    var result: [Subscript] = []
    repeat {
      if check(.rightBracket) && !result.isEmpty { break }  // a trailing comma
      result.append(try subscriptItem())
    } while match(.comma)
    try consume(.rightBracket, "expected ',' or ']' after the index")
    return result
  }

  func subscriptItem() throws(Diagnostic) -> Subscript {
    func part() throws(Diagnostic) -> Expression? {
      check(.colon) || check(.comma) || check(.rightBracket) ? nil : try expression()
    }
    let start = try part()
    guard match(.colon) else {
      guard let start else { throw error("expected an index, found \(peek.displayName)", at: peek) }
      return .single(start)
    }
    let stop = try part()
    let step = match(.colon) ? try part() : nil
    return .slice(start: start, stop: stop, step: step)
  }

  /// list = "[" [ expression { "," expression } [ "," ] ] "]"
  func list() throws(Diagnostic) -> Expression {
    let bracket = advance()  // "["
    var items: [Expression] = []
    while !check(.rightBracket) {
      items.append(try expression())
      guard match(.comma) else { break }
    }
    try consume(.rightBracket, "expected ',' or ']' in the list")
    return .list(items, at: bracket.location)
  }

  /// record = "{" [ field { "," field } [ "," ] ] "}";  field = ( NAME | STRING ) ":" expression.
  /// Line breaks inside a record are whitespace.
  func record() throws(Diagnostic) -> Expression {
    let brace = advance()  // "{"
    var fields: [RecordField] = []
    skipLineBreaks()
    while !check(.rightBrace) {
      let key = peek
      let name: String
      switch key.kind {
      case .name(let n): name = n
      case .string(let s): name = s
      case .keyword(let k): name = k.rawValue
      default: throw error("expected a field name in the record, found \(key.displayName)", at: key)
      }
      advance()
      try consume(.colon, "expected ':' after the field name '\(abbreviated(name))'")
      if fields.contains(where: { $0.key == name }) { throw error("field '\(abbreviated(name))' is given twice", at: key) }
      skipLineBreaks()
      fields.append(RecordField(key: name, value: try expression(), location: key.location))
      skipLineBreaks()
      guard match(.comma) else { break }
      skipLineBreaks()
    }
    try consume(.rightBrace, "expected ',' or '}' in the record")
    return .record(fields, at: brace.location)
  }

  /// "(" expression ")": parentheses only group, and leave no trace in the tree.
  func grouping() throws(Diagnostic) -> Expression {
    advance()  // "("
    let expression = try self.expression()
    try consume(.rightParen, "expected ')' after the expression")
    return expression
  }

  /// The pieces of an f-string: each `{expression}` is parsed where it stands in the source.
  func formatPieces(_ segments: [FormatSegment]) throws(Diagnostic) -> [FormatPiece] {
    var pieces: [FormatPiece] = []
    for segment in segments {
      switch segment {
      case .text(let t): pieces.append(.text(t))
      case .expression(let source, let location, _, let spec):
        let inner = Parser(source: source, file: location.file, commands: commands, origin: location)
        pieces.append(.value(try inner.wholeExpression(), spec: spec))
      }
    }
    return pieces
  }

  /// One expression that must use up the whole source (an f-string's piece).
  func wholeExpression() throws(Diagnostic) -> Expression {
    if case .invalid(let d) = peek.kind { throw d }
    let e = try expression()
    guard isAtEnd else { throw error("unexpected \(peek.displayName) in the f-string's expression", at: peek) }
    return e
  }

  // MARK: - Helpers

  /// A left-associative chain `next { op next }`, where `op(token)` names the operator a token
  /// stands for (nil: not one of this level's).
  func leftAssociative(
    next: () throws(Diagnostic) -> Expression, op: (Token) -> BinaryOperator?
  ) throws(Diagnostic) -> Expression {
    let saved = depth
    defer { depth = saved }
    var expression = try next()
    while let o = op(peek), joinsArgument(peek) {
      let token = advance()
      try descend()
      let right = try next()
      expression = .binary(expression, o, right, at: token.location)
    }
    return expression
  }

  /// Whether the operator `token` continues the expression: always, except in a command argument
  /// for a `+` or `-` with a space before it and none after (it starts the next argument).
  func joinsArgument(_ token: Token) -> Bool {
    guard inArgument, token.kind == .plus || token.kind == .minus else { return true }
    return !(token.followsSpace && !next.followsSpace)
  }

  func comparisonOperator(_ token: Token) -> BinaryOperator? {
    switch token.kind {
    case .equalEqual: return .equal
    case .bangEqual: return .notEqual
    case .less: return .less
    case .lessEqual: return .lessEqual
    case .greater: return .greater
    case .greaterEqual: return .greaterEqual
    default: return nil
    }
  }

  /// Parses something inside brackets, where the command-argument spacing rule does not apply.
  func bracketed<T>(_ body: () throws(Diagnostic) -> T) throws(Diagnostic) -> T {
    let saved = inArgument
    inArgument = false
    defer { inArgument = saved }
    return try body()
  }

  /// Skips line breaks (inside a record literal, where they are whitespace).
  func skipLineBreaks() { while check(.newline) { advance() } }

  /// One more level of nesting; fails beyond `Parser.maximumDepth`. The caller restores `depth`
  /// when it returns.
  func descend() throws(Diagnostic) {
    depth += 1
    guard depth <= Parser.maximumDepth else {
      // Brackets and operator chains both make the tree deeper (a + b + c … is as deep as it is long).
      throw error(
        "expression is too deep or too long (more than \(Parser.maximumDepth) levels of brackets and operators): "
          + "split it into several statements with variables", at: peek)
    }
  }

  /// Consumes a NAME token; otherwise fails with "expected \(what)".
  func consumeName(_ what: String) throws(Diagnostic) -> Token {
    guard peek.name != nil else {
      throw error("expected \(what), found \(peek.displayName)", at: peek)
    }
    return advance()
  }
}
