// The block and control-flow rules of the grammar (see Parser.swift): `{ … }` blocks, `if`/`else`,
// `for … in`, `while`, `def` and `return`. `break` and `continue` are checked to sit in a loop and
// `return` in a function here, at parse time, so a script with a stray one fails before it runs.

extension Parser {
  /// block = "{" { separator } [ statement { separator { separator } statement } ] { separator } "}"
  func block(_ what: String) throws(Diagnostic) -> Block {
    let brace = try consume(.leftBrace, "expected '{' to start \(what)")
    blockDepth += 1
    defer { blockDepth -= 1 }
    var statements: [Statement] = []
    while true {
      while match(.newline, .semicolon) {}
      if match(.rightBrace) { break }
      if isAtEnd { throw error("'{' is never closed", at: brace) }
      statements.append(try statement())
      try expectStatementEnd()
    }
    return Block(statements: statements, location: brace.location)
  }

  /// if = "if" expression block { "else" "if" expression block } [ "else" block ]
  func ifStatement() throws(Diagnostic) -> Statement {
    let ifToken = advance()
    var branches = [IfStatement.Branch(condition: try expression(), body: try block("the body of the 'if'"))]
    var otherwise: Block? = nil
    while peek.isKeyword(.else) {
      advance()
      if peek.isKeyword(.if) {
        advance()
        branches.append(IfStatement.Branch(condition: try expression(), body: try block("the body of the 'else if'")))
      } else {
        otherwise = try block("the body of the 'else'")
        break
      }
    }
    return .ifElse(IfStatement(branches: branches, otherwise: otherwise, location: ifToken.location))
  }

  /// for = "for" NAME "in" expression block
  func forStatement() throws(Diagnostic) -> Statement {
    let forToken = advance()
    let variable = try consumeName("a loop variable after 'for'")
    guard peek.isKeyword(.in) else {
      throw error("expected 'in' after 'for \(variable.text)', found \(peek.displayName)", at: peek)
    }
    advance()
    let sequence = try expression()
    loopDepth += 1
    defer { loopDepth -= 1 }
    let body = try block("the body of the 'for'")
    return .forIn(ForStatement(variable: variable.text, sequence: sequence, body: body, location: forToken.location))
  }

  /// while = "while" expression block
  func whileStatement() throws(Diagnostic) -> Statement {
    let whileToken = advance()
    let condition = try expression()
    loopDepth += 1
    defer { loopDepth -= 1 }
    let body = try block("the body of the 'while'")
    return .whileLoop(WhileStatement(condition: condition, body: body, location: whileToken.location))
  }

  /// def = "def" NAME "(" [ parameter { "," parameter } [ "," ] ] ")" block;
  /// parameter = NAME [ ":" expression ]
  func functionDefinition() throws(Diagnostic) -> Statement {
    let defToken = advance()
    let name = try consumeName("a function name after 'def'")
    if commands.contains(name.text) {
      throw Diagnostic(location: name.location, length: name.length, message: "cannot define '\(name.text)': it is a command")
    }
    try consume(.leftParen, "expected '(' after 'def \(name.text)'")
    var parameters: [FunctionDefinition.Parameter] = []
    while !check(.rightParen) {
      let p = try consumeName("a parameter name")
      if parameters.contains(where: { $0.name == p.text }) { throw error("parameter '\(p.text)' is given twice", at: p) }
      var defaultValue: Expression? = nil
      if match(.colon) {
        defaultValue = try expression()
      } else if parameters.contains(where: { $0.defaultValue != nil }) {
        throw error("parameter '\(p.text)' needs a default: parameters with defaults come last", at: p)
      }
      parameters.append(FunctionDefinition.Parameter(name: p.text, defaultValue: defaultValue, location: p.location))
      guard match(.comma) else { break }
    }
    try consume(.rightParen, "expected ',' or ')' in the parameters of '\(name.text)'")
    let (savedLoops, savedFunctions, savedParameters) = (loopDepth, functionDepth, parameterNames)
    loopDepth = 0
    functionDepth += 1
    parameterNames.formUnion(parameters.map(\.name))
    defer { (loopDepth, functionDepth, parameterNames) = (savedLoops, savedFunctions, savedParameters) }
    let body = try block("the body of '\(name.text)'")
    let lines = text(from: defToken, to: previous).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    return .function(
      FunctionDefinition(
        name: name.text, parameters: parameters, body: body, location: name.location,
        sourceLines: lines))
  }

  /// return = "return" [ expression ]
  func returnStatement() throws(Diagnostic) -> Statement {
    let token = advance()
    guard functionDepth > 0 else { throw error("'return' outside a function", at: token) }
    if peek.kind.endsStatement { return .returnValue(nil, at: token.location) }
    return .returnValue(try expression(), at: token.location)
  }
}
