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
    case .formatString(let pieces, _):
      return sExpression(
        ["f"]
          + pieces.map { piece in
            switch piece {
            case .text(let t): return quoteString(t)
            case .value(let e, let spec): return sExpression(["{}", e.structure] + (spec.map { [quoteString($0)] } ?? []))
            }
          })
    case .boolean(let value, _): return value ? "true" : "false"
    case .noneLiteral: return "none"
    case .name(let name, _): return name
    case .list(let items, _): return sExpression(["list"] + items.map(\.structure))
    case .record(let fields, _): return sExpression(["record"] + fields.map { "(\(quoteString($0.key)): \($0.value.structure))" })
    case .member(let base, let name, _): return sExpression([".", base.structure, name])
    case .index(let base, let subscripts, _):
      return sExpression(["index", base.structure] + subscripts.map(\.structure))
    case .call(let callee, let arguments, _):
      return sExpression(["call", callee] + arguments.map(\.structure))
    case .invoke(let callee, let arguments, _):
      return sExpression(["invoke", callee.structure] + arguments.map(\.structure))
    case .negate(let operand, _): return sExpression(["-", operand.structure])
    case .not(let operand, _): return sExpression(["not", operand.structure])
    case .binary(let left, let op, let right, _):
      return sExpression([op.rawValue, left.structure, right.structure])
    }
  }
}

extension Subscript {
  /// `x` or `(slice start stop step)` with `_` for a part left out.
  public var structure: String {
    switch self {
    case .single(let e): return e.structure
    case .slice(let a, let b, let c):
      return sExpression(["slice", a?.structure ?? "_", b?.structure ?? "_", c?.structure ?? "_"])
    }
  }
}

extension Argument {
  /// `(N_rec: 50)` for a labelled argument, `(** w)` for a splat, the value's structure for a
  /// positional one.
  public var structure: String {
    if isSplat { return sExpression(["**", value.structure]) }
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
    case .assignInto(let target, .expression(let value)): return sExpression(["=", target.structure, value.structure])
    case .assignInto(let target, .command(let command)): return sExpression(["=", target.structure, command.structure])
    case .command(let command): return command.structure
    case .ifElse(let s):
      return sExpression(
        ["if"] + s.branches.map { sExpression([$0.condition.structure, $0.body.structure]) }
          + (s.otherwise.map { [sExpression(["else", $0.structure])] } ?? []))
    case .forIn(let s): return sExpression(["for", s.variable, s.sequence.structure, s.body.structure])
    case .whileLoop(let s): return sExpression(["while", s.condition.structure, s.body.structure])
    case .function(let f):
      let parameters = f.parameters.map { p in p.defaultValue.map { "(\(p.name): \($0.structure))" } ?? p.name }
      return sExpression(["def", f.name, sExpression(parameters), f.body.structure])
    case .returnValue(let value, _): return sExpression(["return"] + (value.map { [$0.structure] } ?? []))
    case .breakLoop: return "(break)"
    case .continueLoop: return "(continue)"
    }
  }
}

extension Block {
  /// `(block statement…)`.
  public var structure: String { sExpression(["block"] + statements.map(\.structure)) }
}

extension AssignmentTarget {
  /// `(target w (. W_rec) (index (slice 0 10 _)))`.
  public var structure: String {
    sExpression(
      ["target", name]
        + path.map { step in
          switch step {
          case .field(let f, _): return sExpression([".", f])
          case .index(let subscripts, _): return sExpression(["index"] + subscripts.map(\.structure))
          }
        })
  }
}

private func sExpression(_ parts: [String]) -> String {
  "(" + parts.joined(separator: " ") + ")"
}
