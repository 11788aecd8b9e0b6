// Evaluation: a `switch` over the syntax tree. Names resolve in the session, calls go to the
// constructor table, commands to the command table; every failure is a RuntimeError pointing at
// the expression or argument at fault.

import Linear
import PsychRNN

/// What running a statement produced.
public enum Outcome: Sendable {
  /// A value to show (a bare expression, or a command's result).
  case show(Value)
  /// Nothing to show (an assignment, or a command with no result).
  case silent
}

extension Session {
  /// Runs one parsed statement. On success it is recorded for `history save`.
  public func execute(_ parsed: ParsedStatement) throws -> Outcome {
    let outcome = try execute(parsed.statement)
    if case .show(.directive(.saveHistory)) = outcome {} else { recordSuccess(parsed.text) }
    return outcome
  }

  func execute(_ statement: Statement) throws -> Outcome {
    switch statement {
    case .expression(let e):
      return .show(try evaluate(e))
    case .command(let c):
      let v = try run(c)
      if case .none = v { return .silent }
      if Commands.named(c.name)?.showsResult == false { return .silent }
      return .show(v)
    case .assignment(let name, let location, let value):
      if Commands.named(name) != nil || Constructors.named(name) != nil {
        throw RuntimeError("'\(name)' is a built-in name and cannot be assigned", at: location, length: name.count)
      }
      let v: Value
      switch value {
      case .expression(let e): v = try evaluate(e)
      case .command(let c): v = try run(c)
      }
      switch v {
      case .directive, .text: throw RuntimeError("this command has no value to assign", at: location, length: name.count)
      default: define(name, v)
      }
      return .silent
    }
  }

  // MARK: - Commands

  func run(_ c: Command) throws -> Value {
    guard let spec = Commands.named(c.name) else {
      throw RuntimeError(
        "unknown command '\(c.name)'", at: c.location, length: c.name.count,
        suggestion: suggestion(for: c.name, among: Commands.table.map(\.name)))
    }
    let arguments = c.arguments.map { e in
      CommandArgument(word: e.bareName, location: e.startLocation, length: e.length, evaluate: { try self.evaluate(e) })
    }
    let options = try c.options.map { try evaluateArgument($0) }
    var ctx = CommandContext(name: c.name, location: c.location, session: self, arguments: arguments, options: options)
    return try spec.run(&ctx)
  }

  func evaluateArgument(_ a: Argument) throws -> EvaluatedArgument {
    EvaluatedArgument(
      label: a.label, value: try evaluate(a.value), location: a.location,
      length: a.label?.count ?? a.value.length, word: a.value.bareName)
  }

  // MARK: - Expressions

  public func evaluate(_ e: Expression) throws -> Value {
    switch e {
    case .number(let d, _): return .number(d)
    case .string(let s, _): return .string(s)
    case .boolean(let b, _): return .bool(b)
    case .noneLiteral: return .none
    case .name(let n, let at): return try lookup(n, at: at)
    case .list(let items, _): return .list(try items.map(evaluate))
    case .member(let base, let name, let at): return try Members.member(of: try evaluate(base), name, at: at)
    case .index(let base, let index, let at): return try subscripted(try evaluate(base), try evaluate(index), at: at)
    case .call(let callee, let arguments, let at): return try call(callee, arguments, at: at)
    case .negate(let operand, let at): return try Arithmetic.negate(try evaluate(operand), at: at)
    case .binary(let l, let op, let r, let at): return try Arithmetic.apply(op, try evaluate(l), try evaluate(r), at: at)
    }
  }

  private func lookup(_ name: String, at: SourceLocation) throws -> Value {
    if let v = variables[name] { return v }
    if Constructors.named(name) != nil {
      throw RuntimeError(
        "\(name) is a constructor: call it, e.g. \(name)(…); `help \(name)` lists its parameters", at: at, length: name.count)
    }
    throw RuntimeError(
      "unknown name '\(name)'", at: at, length: name.count,
      suggestion: suggestion(for: name, among: definitionOrder + Constructors.table.map(\.name)))
  }

  private func subscripted(_ base: Value, _ index: Value, at: SourceLocation) throws -> Value {
    guard case .number(let d) = index, d == d.rounded(), abs(d) < 1e15 else {
      throw RuntimeError("an index must be a whole number, got a \(index.typeName)", at: at)
    }
    func position(_ count: Int) throws -> Int {
      let i = Int(d) < 0 ? count + Int(d) : Int(d)
      guard (0..<count).contains(i) else { throw RuntimeError("index \(Int(d)) is out of range for \(count) elements", at: at) }
      return i
    }
    switch base {
    case .array(let a):
      guard let n = a.shape.first else { throw RuntimeError("a 0-d array cannot be indexed", at: at) }
      let e = a.element(try position(n))
      return e.shape.isEmpty ? .number(e.values[0]) : .array(e)
    case .list(let items): return items[try position(items.count)]
    default: throw RuntimeError("a \(base.typeName) cannot be indexed", at: at)
    }
  }

  private func call(_ callee: String, _ arguments: [Argument], at: SourceLocation) throws -> Value {
    guard let ctor = Constructors.named(callee) else {
      if case .network? = variables[callee] {
        throw RuntimeError("'\(callee)' is a network, not a function", at: at, length: callee.count)
      }
      throw RuntimeError(
        "unknown constructor '\(callee)'", at: at, length: callee.count,
        suggestion: suggestion(for: callee, among: Constructors.table.map(\.name)))
    }
    let evaluated = try arguments.map { try evaluateArgument($0) }
    let positional = evaluated.filter { $0.label == nil }
    let labelled = evaluated.filter { $0.label != nil }
    let bound = ctor.positional.isEmpty ? [] : positional
    let extra = ctor.positional.isEmpty ? positional : []
    let keyed = try KeyedArguments(
      owner: callee, location: at, positional: bound, positionalKeys: ctor.positional,
      labelled: labelled, allowed: ctor.keys)
    do {
      return try ctor.build(keyed, extra, self)
    } catch let e as ConfigurationError {
      throw keyed.error(e)
    }
  }
}

extension Expression {
  /// The name, when the expression is a bare name.
  var bareName: String? { if case .name(let n, _) = self { return n } else { return nil } }

  /// How many columns to underline for this expression (its first token, roughly).
  var length: Int {
    switch self {
    case .name(let n, _): return n.count
    case .call(let callee, _, _): return callee.count
    case .string(let s, _): return s.count + 2
    case .number(let d, _): return Format.number(d).count
    default: return 1
    }
  }
}
