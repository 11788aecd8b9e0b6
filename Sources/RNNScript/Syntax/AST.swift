// The syntax tree of the `.rnn` language. Every node carries the location the evaluator should
// point at when it fails (see each case). Trees are plain values, evaluated with `switch`; the
// canonical source printer is in AST+Printing.swift, the debugging S-expression in
// AST+Structure.swift.

/// An expression: a literal, a name, a list or record, field access, indexing, a call, or an
/// operation.
public indirect enum Expression: Equatable, Sendable {
  /// A number literal: `7`, `0.9`, `1e-3`. Negative numbers are `.negate` of a literal.
  case number(Double, at: SourceLocation)
  /// A string literal, escapes resolved.
  case string(String, at: SourceLocation)
  /// An f-string: its text pieces and `{expression:spec}` pieces, in order; located at the `f`.
  case formatString([FormatPiece], at: SourceLocation)
  /// `true` or `false` (also spelt `True`, `False`).
  case boolean(Bool, at: SourceLocation)
  /// `none` (also spelt `None`).
  case noneLiteral(at: SourceLocation)
  /// A variable or other name: `net`, `W_rec`, `states`.
  case name(String, at: SourceLocation)
  /// A list `[a, b, c]`; located at its `[`.
  case list([Expression], at: SourceLocation)
  /// A record literal `{coherence: 0.5, direction: 1}`; located at its `{`.
  case record([RecordField], at: SourceLocation)
  /// Field access `base.name`; located at the field name.
  case member(Expression, name: String, at: SourceLocation)
  /// Indexing `base[i]`, `base[:, -1, 0:10:2]`; located at the `[`.
  case index(Expression, subscripts: [Subscript], at: SourceLocation)
  /// A call of a name `Callee(positional…, label: value…, **record)`: a constructor, a function,
  /// a command or a function-valued variable; located at the callee's name.
  case call(callee: String, arguments: [Argument], at: SourceLocation)
  /// A call of any other function-valued expression, `r.f(x)`; located at the `(`.
  case invoke(Expression, arguments: [Argument], at: SourceLocation)
  /// Unary minus `-operand`; located at the `-`.
  case negate(Expression, at: SourceLocation)
  /// `not operand`; located at the `not`.
  case not(Expression, at: SourceLocation)
  /// `left op right`; located at the operator.
  case binary(Expression, BinaryOperator, Expression, at: SourceLocation)

  /// Where the evaluator should point when this expression fails (see each case).
  public var location: SourceLocation {
    switch self {
    case .number(_, let at), .string(_, let at), .formatString(_, let at), .boolean(_, let at), .noneLiteral(let at),
      .name(_, let at), .list(_, let at), .record(_, let at), .member(_, _, let at), .index(_, _, let at),
      .call(_, _, let at), .invoke(_, _, let at), .negate(_, let at), .not(_, let at), .binary(_, _, _, let at):
      return at
    }
  }
}

/// One subscript of an index: a single position (or array of positions), or a slice
/// `start:stop:step` with any part left out.
public enum Subscript: Equatable, Sendable {
  case single(Expression)
  case slice(start: Expression?, stop: Expression?, step: Expression?)
}

/// `key: value` in a record literal.
public struct RecordField: Equatable, Sendable {
  public var key: String
  public var value: Expression
  public var location: SourceLocation

  public init(key: String, value: Expression, location: SourceLocation) {
    self.key = key; self.value = value; self.location = location
  }
}

/// A piece of an f-string.
public enum FormatPiece: Equatable, Sendable {
  case text(String)
  /// `{value}` or `{value:spec}` (Python's format specification mini-language).
  case value(Expression, spec: String?)
}

/// The binary operators, by precedence (higher binds tighter): `or` 1, `and` 2, comparisons 4,
/// `+ -` 5, `* / % @` 6, `**` 8. `not` (3) and unary minus (7) sit between them. All group to the
/// left except `**`, which groups to the right; comparisons do not chain.
public enum BinaryOperator: String, Equatable, Sendable, CaseIterable {
  case add = "+"
  case subtract = "-"
  case multiply = "*"
  case divide = "/"
  case remainder = "%"
  case matrixProduct = "@"
  case power = "**"
  case equal = "=="
  case notEqual = "!="
  case less = "<"
  case lessEqual = "<="
  case greater = ">"
  case greaterEqual = ">="
  case and = "and"
  case or = "or"

  /// Higher binds tighter.
  public var precedence: Int {
    switch self {
    case .or: return 1
    case .and: return 2
    case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return 4
    case .add, .subtract: return 5
    case .multiply, .divide, .remainder, .matrixProduct: return 6
    case .power: return 8
    }
  }

  /// Whether this is a comparison (they do not chain: `a < b < c` is an error).
  public var isComparison: Bool { precedence == 4 }
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
  /// `**record`: the record's fields become labelled arguments.
  public var isSplat: Bool

  /// An argument, labelled or (with `label: nil`) positional, or a `**record` splat.
  public init(label: String?, value: Expression, location: SourceLocation, isSplat: Bool = false) {
    self.label = label
    self.value = value
    self.location = location
    self.isSplat = isSplat
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
  indirect case command(Command)
}

/// One statement of a script. Boxed (`indirect`) like `Expression`: the evaluator copies
/// statements as it runs them, and a box is one retain where the payloads (targets, loops,
/// definitions) would be copied field by field through the enum's value witnesses.
public indirect enum Statement: Equatable, Sendable {
  /// A bare expression, whose value is printed: `acc`, `net.W_rec`, `x[0]`.
  case expression(Expression)
  /// `name = value`; `location` is the name's.
  case assignment(name: String, location: SourceLocation, value: AssignedValue)
  /// `w.W_rec[0:10, 0:10] = 0`, `r.a = 3`: assignment into part of a variable's value.
  case assignInto(AssignmentTarget, value: AssignedValue)
  /// A command: `train net task training_iters: 64000`.
  case command(Command)
  /// `if c { … } else if d { … } else { … }`.
  case ifElse(IfStatement)
  /// `for name in sequence { … }`.
  case forIn(ForStatement)
  /// `while condition { … }`.
  case whileLoop(WhileStatement)
  /// `def name(a, b, c: 0.5) { … }`.
  case function(FunctionDefinition)
  /// `return` or `return value`, inside a function.
  case returnValue(Expression?, at: SourceLocation)
  /// `break`, inside a loop.
  case breakLoop(at: SourceLocation)
  /// `continue`, inside a loop.
  case continueLoop(at: SourceLocation)

  /// Where the statement starts (for an expression, its leftmost operand: grouping parentheses
  /// are not kept in the tree).
  public var location: SourceLocation {
    switch self {
    case .expression(let expression): return expression.startLocation
    case .assignment(_, let location, _): return location
    case .assignInto(let target, _): return target.location
    case .command(let command): return command.location
    case .ifElse(let s): return s.location
    case .forIn(let s): return s.location
    case .whileLoop(let s): return s.location
    case .function(let f): return f.location
    case .returnValue(_, let at), .breakLoop(let at), .continueLoop(let at): return at
    }
  }
}

/// `{ statements }`.
public struct Block: Equatable, Sendable {
  public var statements: [Statement]
  /// The `{`.
  public var location: SourceLocation

  public init(statements: [Statement], location: SourceLocation) {
    self.statements = statements; self.location = location
  }
}

/// `if c { … } else if d { … } else { … }`: the branches in order, and the final `else`.
public struct IfStatement: Equatable, Sendable {
  public struct Branch: Equatable, Sendable {
    public var condition: Expression
    public var body: Block
    public init(condition: Expression, body: Block) { self.condition = condition; self.body = body }
  }
  public var branches: [Branch]
  public var otherwise: Block?
  /// The `if`.
  public var location: SourceLocation

  public init(branches: [Branch], otherwise: Block?, location: SourceLocation) {
    self.branches = branches; self.otherwise = otherwise; self.location = location
  }
}

/// `for variable in sequence { body }`.
public struct ForStatement: Equatable, Sendable {
  public var variable: String
  public var sequence: Expression
  public var body: Block
  /// The `for`.
  public var location: SourceLocation

  public init(variable: String, sequence: Expression, body: Block, location: SourceLocation) {
    self.variable = variable; self.sequence = sequence; self.body = body; self.location = location
  }
}

/// `while condition { body }`.
public struct WhileStatement: Equatable, Sendable {
  public var condition: Expression
  public var body: Block
  /// The `while`.
  public var location: SourceLocation

  public init(condition: Expression, body: Block, location: SourceLocation) {
    self.condition = condition; self.body = body; self.location = location
  }
}

/// `def name(a, b, c: 0.5) { body }`.
public struct FunctionDefinition: Equatable, Sendable {
  public struct Parameter: Equatable, Sendable {
    public var name: String
    public var defaultValue: Expression?
    public var location: SourceLocation
    public init(name: String, defaultValue: Expression?, location: SourceLocation) {
      self.name = name; self.defaultValue = defaultValue; self.location = location
    }
  }
  public var name: String
  public var parameters: [Parameter]
  public var body: Block
  /// The function's name in the `def`.
  public var location: SourceLocation
  /// The definition's source lines, from the `def` line on (for echoing a line of the body in
  /// an error raised while the function runs, wherever it is called from).
  public var sourceLines: [String]

  public init(name: String, parameters: [Parameter], body: Block, location: SourceLocation, sourceLines: [String] = []) {
    self.name = name; self.parameters = parameters; self.body = body; self.location = location
    self.sourceLines = sourceLines
  }
}

/// What an `assignInto` writes to: a variable, then fields and subscripts.
public struct AssignmentTarget: Equatable, Sendable {
  public enum Step: Equatable, Sendable {
    case field(String, at: SourceLocation)
    case index([Subscript], at: SourceLocation)
  }
  public var name: String
  public var path: [Step]
  /// The variable's name.
  public var location: SourceLocation

  public init(name: String, path: [Step], location: SourceLocation) {
    self.name = name; self.path = path; self.location = location
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
    case .member(let base, _, _), .index(let base, _, _), .binary(let base, _, _, _), .invoke(let base, _, _):
      return base.startLocation
    default:
      return location
    }
  }
}
