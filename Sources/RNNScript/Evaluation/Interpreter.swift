// Running statements: assignments, commands, blocks and control flow. A statement at the top level
// returns its value to show (`Outcome`); statements inside `if`, `for` and `while` show theirs as they
// run, through `Session.onShow`, so a loop prints as it goes. Inside a `def`, bare expressions show
// nothing (a function's value is what it returns); commands still do.
//
// Loops poll `Session.isCancelled` every iteration: Ctrl-C stops a loop (and a `train` inside it,
// after its current batch) with `Interrupted`, keeping everything done so far.

import PsychRNN

/// What running a statement produced.
public enum Outcome: Sendable {
  /// A value to show (a bare expression, or a command's result).
  case show(Value)
  /// Nothing to show (an assignment, a command with no result, a loop that showed as it ran).
  case silent
}

/// Ctrl-C (or SIGTERM) stopped a loop between iterations.
public struct Interrupted: Error, Sendable {}

/// `quit` inside a block: the shell ends the session.
public struct QuitRequested: Error, Sendable {}

/// How a statement inside a block ended.
enum Flow {
  case normal
  case breakLoop
  case continueLoop
  case returned(Value)
}

extension Session {
  /// Runs one parsed statement at the top level. On success it is recorded for `history save`.
  public func execute(_ parsed: ParsedStatement) throws -> Outcome {
    cancelledTrainingTrials = nil
    let outcome = try execute(parsed.statement)
    if case .show(.directive(.saveHistory)) = outcome {} else { recordSuccess(replayable(parsed)) }
    return outcome
  }

  /// What history keeps of a statement: its text, or for a `train` that Ctrl-C stopped, the same
  /// command with `training_iters:` the trials it completed, so that a replay reaches this state.
  func replayable(_ parsed: ParsedStatement) -> String {
    guard let trials = cancelledTrainingTrials else { return parsed.text }
    func shortened(_ c: Command) -> Command {
      var c = c
      let value = Expression.number(Double(trials), at: c.location)
      if let i = c.options.firstIndex(where: { $0.label == "training_iters" }) {
        c.options[i].value = value
      } else {
        c.options.append(Argument(label: "training_iters", value: value, location: c.location))
      }
      return c
    }
    switch parsed.statement {
    case .command(let c) where c.name == "train": return Statement.command(shortened(c)).description
    case .assignment(let name, let at, .command(let c)) where c.name == "train":
      return Statement.assignment(name: name, location: at, value: .command(shortened(c))).description
    default: return parsed.text
    }
  }

  /// Runs one statement at the top level.
  public func execute(_ statement: Statement) throws -> Outcome {
    switch statement {
    case .expression(let e): return .show(try evaluate(e))
    case .command(let c):
      let v = try run(c)
      if case .none = v { return .silent }
      if Commands.named(c.name)?.showsResult == false { return .silent }
      return .show(v)
    default:
      _ = try perform(statement)
      return .silent
    }
  }

  /// Runs a statement inside a block or function (or a compound statement at the top level).
  func perform(_ statement: Statement) throws -> Flow {
    switch statement {
    case .expression(let e):
      let v = try evaluate(e)
      if scope == nil { emit(v) }
    case .command(let c):
      let v = try run(c)
      if case .directive(.quit) = v { throw QuitRequested() }
      if case .none = v {} else if Commands.named(c.name)?.showsResult != false { emit(v) }
    case .assignment(let name, let location, let value):
      try assign(name, at: location, try assignedValue(value, at: location, name: name))
    case .assignInto(let target, let value):
      try assign(into: target, try assignedValue(value, at: target.location, name: target.name))
    case .ifElse(let s):
      for branch in s.branches where try truth(try evaluate(branch.condition), at: branch.condition.location) {
        return try perform(branch.body)
      }
      if let otherwise = s.otherwise { return try perform(otherwise) }
    case .forIn(let s):
      let sequence = try evaluate(s.sequence)
      let count = try iterationCount(sequence, at: s.sequence.location)
      for i in 0..<count {
        if isCancelled() { throw Interrupted() }
        try assign(
          s.variable, at: s.location,
          try tape.flatMap { try traced(element: i, of: sequence, on: $0) } ?? element(i, of: sequence))
        switch try perform(s.body) {
        case .breakLoop: return .normal
        case .returned(let v): return .returned(v)
        case .normal, .continueLoop: continue
        }
      }
    case .whileLoop(let s):
      while try truth(try evaluate(s.condition), at: s.condition.location) {
        if isCancelled() { throw Interrupted() }
        switch try perform(s.body) {
        case .breakLoop: return .normal
        case .returned(let v): return .returned(v)
        case .normal, .continueLoop: continue
        }
      }
    case .function(let f):
      let defaults = try f.parameters.map { p in try p.defaultValue.map { try evaluate($0) } }
      try assign(f.name, at: f.location, .function(FunctionValue(definition: f, defaults: defaults, scope: scope)))
    case .returnValue(let e, _): return .returned(try e.map { try evaluate($0) } ?? .none)
    case .breakLoop: return .breakLoop
    case .continueLoop: return .continueLoop
    }
    return .normal
  }

  /// Runs a block's statements until one breaks the flow.
  func perform(_ block: Block) throws -> Flow {
    for statement in block.statements {
      let flow = try perform(statement)
      if case .normal = flow { continue }
      return flow
    }
    return .normal
  }

  /// Shows a value produced inside a block (directives go to the shell the same way).
  func emit(_ v: Value) {
    if case .none = v { return }
    onShow(v)
  }

  // MARK: - Assignment

  /// The value of an assignment's right-hand side; a command with no value is an error.
  func assignedValue(_ value: AssignedValue, at location: SourceLocation, name: String) throws -> Value {
    let v: Value
    switch value {
    case .expression(let e): v = try evaluate(e)
    case .command(let c): v = try run(c)
    }
    switch v {
    case .directive, .text: throw RuntimeError("this command has no value to assign", at: location, length: name.count)
    default: return v
    }
  }

  /// Binds `name` in the innermost scope (a function's locals, or the session's variables).
  func assign(_ name: String, at location: SourceLocation, _ v: Value) throws {
    if let scope {
      scope[local: name] = v
      return
    }
    if variables[name] == nil && Session.builtinNames.contains(name) {
      throw RuntimeError("'\(name)' is a built-in name and cannot be assigned", at: location, length: name.count)
    }
    define(name, v)
  }

  // MARK: - Truth and iteration

  /// Whether a condition holds: booleans, numbers (non-zero), strings and lists (non-empty), none
  /// (false), one-element arrays. A longer array is ambiguous, as in numpy.
  func truth(_ v: Value, at location: SourceLocation) throws -> Bool {
    switch v {
    case .bool(let b): return b
    case .number(let d): return d != 0
    case .none: return false
    case .string(let s): return !s.isEmpty
    case .list(let items): return !items.isEmpty
    case .array(let a) where a.values.count == 1: return a.values[0] != 0
    case .array(let a):
      throw RuntimeError(
        "the truth of an array of shape \(Format.shape(a.shape)) is ambiguous: use any(…) or all(…), "
          + "or where(condition, x, y) to choose elementwise", at: location)
    default: return true
    }
  }

  /// How many times `for` runs over `v`: a list's items, an array's first axis, a string's
  /// characters, a record's fields (its keys).
  func iterationCount(_ v: Value, at location: SourceLocation) throws -> Int {
    switch v {
    case .list(let items): return items.count
    case .array(let a):
      guard let n = a.shape.first else { throw RuntimeError("cannot loop over a 0-d array", at: location) }
      return n
    case .string(let s): return s.count
    case .record(let r): return r.fields.count
    default: throw RuntimeError("cannot loop over a \(v.typeName): give a list, an array or range(n)", at: location)
    }
  }

  /// Item `i` of something `iterationCount` accepted.
  func element(_ i: Int, of v: Value) -> Value {
    switch v {
    case .list(let items): return items[i]
    case .array(let a):
      if a.shape.count == 1 { return .number(a.values[i]) }
      return .array(a.element(i))
    case .string(let s): return .string(String(s[s.index(s.startIndex, offsetBy: i)]))
    case .record(let r): return .string(r.fields[i].name)
    default: return .none
    }
  }
}
