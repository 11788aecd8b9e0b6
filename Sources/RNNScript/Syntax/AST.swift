// The syntax tree of the `.rnn` language. Every node carries the location the evaluator should
// point at when it fails (see each case). Trees are plain values, evaluated with `switch`; the
// canonical source printer is in AST+Printing.swift, the debugging S-expression in
// AST+Structure.swift.

/// An expression: a literal, a name, a list, field access, indexing, a constructor call or
/// arithmetic.
public indirect enum Expression: Equatable, Sendable {
  /// A number literal: `7`, `0.9`, `1e-3`. Negative numbers are `.negate` of a literal.
  case number(Double, at: SourceLocation)
  /// A string literal, escapes resolved.
  case string(String, at: SourceLocation)
  /// `true` or `false` (also spelt `True`, `False`).
  case boolean(Bool, at: SourceLocation)
  /// `none` (also spelt `None`).
  case noneLiteral(at: SourceLocation)
  /// A variable or other name: `net`, `W_rec`, `states`.
  case name(String, at: SourceLocation)
  /// A list `[a, b, c]`; located at its `[`.
  case list([Expression], at: SourceLocation)
  /// Field access `base.name`; located at the field name.
  case member(Expression, name: String, at: SourceLocation)
  /// Indexing `base[index]`; located at the `[`.
  case index(Expression, index: Expression, at: SourceLocation)
  /// A constructor call `Callee(positional…, label: value…)`; located at the callee's name.
  case call(callee: String, arguments: [Argument], at: SourceLocation)
  /// Unary minus `-operand`; located at the `-`.
  case negate(Expression, at: SourceLocation)
  /// Arithmetic `left op right`; located at the operator.
  case binary(Expression, BinaryOperator, Expression, at: SourceLocation)

  /// Where the evaluator should point when this expression fails (see each case).
  public var location: SourceLocation {
    switch self {
    case .number(_, let at), .string(_, let at), .boolean(_, let at), .noneLiteral(let at),
      .name(_, let at), .list(_, let at), .member(_, _, let at), .index(_, _, let at),
      .call(_, _, let at), .negate(_, let at), .binary(_, _, _, let at):
      return at
    }
  }
}

/// The four arithmetic operators, by precedence: `*` and `/` bind tighter than `+` and `-`, and
/// all four group to the left (`a - b - c` is `(a - b) - c`).
public enum BinaryOperator: String, Equatable, Sendable, CaseIterable {
  /// `+`
  case add = "+"
  /// `-`
  case subtract = "-"
  /// `*`
  case multiply = "*"
  /// `/`
  case divide = "/"

  /// 1 for `+ -`, 2 for `* /`; higher binds tighter.
  public var precedence: Int {
    switch self {
    case .add, .subtract: return 1
    case .multiply, .divide: return 2
    }
  }
}

/// An argument of a constructor call (`task`, `N_rec: 50`) or a command option
/// (`training_iters: 64000`, where the label is always present).
public struct Argument: Equatable, Sendable {
  /// The label as written (a PsychRNN key such as `N_rec`), or `nil` for a positional argument.
  public var label: String?
  /// The argument's value.
  public var value: Expression
  /// The label's location, or the value's for a positional argument.
  public var location: SourceLocation

  /// An argument, labelled or (with `label: nil`) positional.
  public init(label: String?, value: Expression, location: SourceLocation) {
    self.label = label
    self.value = value
    self.location = location
  }
}

/// A command: a verb from the evaluator's command table, positional arguments, then options.
///
///     plot states net task trial: 0
///     // name "plot", arguments [states, net, task], options [trial: 0]
public struct Command: Equatable, Sendable {
  /// The verb: `train`, `plot`, `save`, …
  public var name: String
  /// The verb's location.
  public var location: SourceLocation
  /// Positional arguments, in order.
  public var arguments: [Expression]
  /// `key: value` options, in order; every label is set and no key repeats.
  public var options: [Argument]

  /// A command `name` at `location` with its arguments and options.
  public init(
    name: String, location: SourceLocation, arguments: [Expression] = [], options: [Argument] = []
  ) {
    self.name = name
    self.location = location
    self.arguments = arguments
    self.options = options
  }
}

/// The right-hand side of an assignment: an expression (`x = [1, 2]`) or a command whose result
/// is kept (`acc = accuracy net task`).
public enum AssignedValue: Equatable, Sendable {
  /// `name = expression`
  case expression(Expression)
  /// `name = command …`
  case command(Command)
}

/// One statement of a script.
public enum Statement: Equatable, Sendable {
  /// A bare expression, whose value is printed: `acc`, `net.W_rec`, `x[0]`.
  case expression(Expression)
  /// `name = value`; `location` is the name's.
  case assignment(name: String, location: SourceLocation, value: AssignedValue)
  /// A command: `train net task training_iters: 64000`.
  case command(Command)

  /// Where the statement starts (for an expression, its leftmost operand: grouping parentheses
  /// are not kept in the tree).
  public var location: SourceLocation {
    switch self {
    case .expression(let expression): return expression.startLocation
    case .assignment(_, let location, _): return location
    case .command(let command): return command.location
    }
  }
}

/// A statement as it was parsed: the tree, plus the exact source it came from (for echoing a
/// script as it runs, and for recording history).
public struct ParsedStatement: Equatable, Sendable {
  /// The syntax tree.
  public var statement: Statement
  /// From the statement's first token to the end of its last (comments and separators excluded).
  public var range: SourceRange
  /// The exact source text of `range`; it spans several lines if brackets or a string did.
  public var text: String

  /// A parsed statement with its source.
  public init(statement: Statement, range: SourceRange, text: String) {
    self.statement = statement
    self.range = range
    self.text = text
  }
}

extension Expression {
  /// The location of the leftmost operand (`a` in `a + b`, `net` in `net.W_rec`).
  public var startLocation: SourceLocation {
    switch self {
    case .member(let base, _, _), .index(let base, _, _), .binary(let base, _, _, _):
      return base.startLocation
    default:
      return location
    }
  }
}
