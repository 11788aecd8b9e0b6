// The tree as a fully parenthesized S-expression without locations, for tests and debugging:
//
//     task = Basic(t, N_rec: 50)     →  (= task (call Basic t (N_rec: 50)))
//     1 + 2 * -x                     →  (+ 1 (* 2 (- x)))
//     plot states net trial: 0       →  (command plot states net (trial: 0))
//
// Two trees have the same structure exactly when they are equal apart from their locations,
// which is what the round-trip tests compare.

extension Expression {
  /// The expression as an S-expression without locations: `(+ 1 (* 2 x))`.
  public var structure: String {
    switch self {
    case .number(let value, _): return formatNumber(value)
    case .string(let value, _): return quoteString(value)
    case .boolean(let value, _): return value ? "true" : "false"
    case .noneLiteral: return "none"
    case .name(let name, _): return name
    case .list(let items, _): return sExpression(["list"] + items.map(\.structure))
    case .member(let base, let name, _): return sExpression([".", base.structure, name])
    case .index(let base, let index, _):
      return sExpression(["index", base.structure, index.structure])
    case .call(let callee, let arguments, _):
      return sExpression(["call", callee] + arguments.map(\.structure))
    case .negate(let operand, _): return sExpression(["-", operand.structure])
    case .binary(let left, let op, let right, _):
      return sExpression([op.rawValue, left.structure, right.structure])
    }
  }
}

extension Argument {
  /// `(N_rec: 50)` for a labelled argument, the value's structure for a positional one.
  public var structure: String {
    guard let label else { return value.structure }
    return "(\(label): \(value.structure))"
  }
}

extension Command {
  /// `(command train net task (training_iters: 64000))`.
  public var structure: String {
    sExpression(["command", name] + arguments.map(\.structure) + options.map(\.structure))
  }
}

extension Statement {
  /// The statement as an S-expression without locations; an assignment is `(= name value)`.
  public var structure: String {
    switch self {
    case .expression(let expression): return expression.structure
    case .assignment(let name, _, .expression(let value)):
      return sExpression(["=", name, value.structure])
    case .assignment(let name, _, .command(let command)):
      return sExpression(["=", name, command.structure])
    case .command(let command): return command.structure
    }
  }
}

private func sExpression(_ parts: [String]) -> String {
  "(" + parts.joined(separator: " ") + ")"
}
