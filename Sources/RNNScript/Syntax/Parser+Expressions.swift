// The expression rules of the grammar (see Parser.swift), loosest-binding first:
// expression → term (+ -) → factor (* /) → unary (-) → postfix (. and []) → primary.
//
// Nesting is bounded: every rule that puts a node inside another calls `descend()`, which fails
// beyond `Parser.maximumDepth` levels. A loop building `a + b + c …` descends once per operator,
// since the tree it builds is as deep as the chain is long. So no input, however deep, can
// overflow the stack here or in any recursive walk over the tree.

extension Parser {
  /// expression = term
  func expression() throws(Diagnostic) -> Expression {
    let saved = depth
    defer { depth = saved }
    try descend()
    return try term()
  }

  /// term = factor { ( "+" | "-" ) factor }
  func term() throws(Diagnostic) -> Expression {
    let saved = depth
    defer { depth = saved }
    var expression = try factor()
    while match(.plus, .minus) {
      let op = previous
      try descend()
      let right = try factor()
      expression = .binary(expression, binaryOperator(op), right, at: op.location)
    }
    return expression
  }

  /// factor = unary { ( "*" | "/" ) unary }
  func factor() throws(Diagnostic) -> Expression {
    let saved = depth
    defer { depth = saved }
    var expression = try unary()
    while match(.star, .slash) {
      let op = previous
      try descend()
      let right = try unary()
      expression = .binary(expression, binaryOperator(op), right, at: op.location)
    }
    return expression
  }

  /// unary = "-" unary | postfix. With `spaceSeparated` (a command argument), a `[` or `(`
  /// continues the expression only when written right against it.
  func unary(spaceSeparated: Bool = false) throws(Diagnostic) -> Expression {
    guard match(.minus) else { return try postfix(spaceSeparated: spaceSeparated) }
    let minus = previous
    let saved = depth
    defer { depth = saved }
    try descend()
    return .negate(try unary(spaceSeparated: spaceSeparated), at: minus.location)
  }

  /// postfix = primary { "." NAME | "[" expression "]" }
  func postfix(spaceSeparated: Bool = false) throws(Diagnostic) -> Expression {
    let saved = depth
    defer { depth = saved }
    var expression = try primary(spaceSeparated: spaceSeparated)
    while true {
      if match(.dot) {
        try descend()
        let field = try consumeName("a field name after '.'")
        expression = .member(expression, name: field.text, at: field.location)
      } else if check(.leftBracket) && !(spaceSeparated && peek.followsSpace) {
        let bracket = advance()
        try descend()
        let index = try self.expression()
        try consume(.rightBracket, "expected ']' after the index")
        expression = .index(expression, index: index, at: bracket.location)
      } else if check(.leftParen) && !(spaceSeparated && peek.followsSpace) {
        throw error("only a name can be called, as in 'Basic(task)'", at: peek)
      } else {
        return expression
      }
    }
  }

  /// primary = NUMBER | STRING | boolean | none | call | NAME | list | "(" expression ")"
  func primary(spaceSeparated: Bool = false) throws(Diagnostic) -> Expression {
    let token = peek
    let location = token.location
    switch token.kind {
    case .number(let value):
      advance()
      return .number(value, at: location)
    case .string(let value):
      advance()
      return .string(value, at: location)
    case .boolean(let value):
      advance()
      return .boolean(value, at: location)
    case .noneLiteral:
      advance()
      return .noneLiteral(at: location)
    case .name(let name):
      advance()
      if check(.leftParen) && !(spaceSeparated && peek.followsSpace) { return try call(token) }
      return .name(name, at: location)
    case .leftBracket:
      return try list()
    case .leftParen:
      return try grouping()
    default:
      throw error("expected an expression, found \(token.displayName)", at: token)
    }
  }

  /// call = NAME "(" [ labelled { "," labelled } [ "," ] ] ")", after the NAME `callee`.
  func call(_ callee: Token) throws(Diagnostic) -> Expression {
    advance()  // "("
    var arguments: [Argument] = []
    while !check(.rightParen) {
      arguments.append(try labelled(after: arguments))
      guard match(.comma) else { break }
    }
    try consume(.rightParen, "expected ',' or ')' in the arguments of '\(callee.text)'")
    return .call(callee: callee.text, arguments: arguments, at: callee.location)
  }

  /// labelled = [ NAME ":" ] expression; positional arguments come first, labels only once.
  func labelled(after earlier: [Argument]) throws(Diagnostic) -> Argument {
    let start = peek
    if start.name != nil && next.kind == .equals {
      throw equalsInsteadOfColon(for: "labelled arguments")
    }
    guard start.name != nil && next.kind == .colon else {
      if earlier.contains(where: { $0.label != nil }) {
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

  /// "(" expression ")": parentheses only group, and leave no trace in the tree.
  func grouping() throws(Diagnostic) -> Expression {
    advance()  // "("
    let expression = try self.expression()
    try consume(.rightParen, "expected ')' after the expression")
    return expression
  }

  // MARK: - Helpers

  /// One more level of nesting; fails beyond `Parser.maximumDepth`. The caller restores `depth`
  /// when it returns.
  func descend() throws(Diagnostic) {
    depth += 1
    guard depth <= Parser.maximumDepth else {
      throw error(
        "expression nests too deeply (more than \(Parser.maximumDepth) levels)", at: peek)
    }
  }

  /// Consumes a NAME token; otherwise fails with "expected \(what)".
  func consumeName(_ what: String) throws(Diagnostic) -> Token {
    guard peek.name != nil else {
      throw error("expected \(what), found \(peek.displayName)", at: peek)
    }
    return advance()
  }

  /// The operator a `+ - * /` token stands for.
  func binaryOperator(_ token: Token) -> BinaryOperator {
    switch token.kind {
    case .plus: return .add
    case .minus: return .subtract
    case .star: return .multiply
    default: return .divide
    }
  }
}
