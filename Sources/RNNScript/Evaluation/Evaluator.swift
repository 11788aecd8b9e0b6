// Evaluating expressions: a `switch` over the syntax tree. Names resolve in the innermost scope,
// then the session, then the constants, then the task library; calls go to a function-valued
// variable, the constructor table, the built-in functions, the command table or the task library
// (StandardLibrary.swift), in that order. Every failure is a
// RuntimeError pointing at the expression or argument at fault.

import Linear
import PsychRNN

extension Session {
  // MARK: - Commands

  /// Runs a command statement: its positional arguments evaluate lazily (some are bare words
  /// such as `W_rec`), its options are checked against the command's table entry.
  func run(_ c: Command) throws -> Value {
    guard let spec = Commands.named(c.name) else {
      throw RuntimeError(
        "unknown command '\(c.name)'", at: c.location, length: c.name.count,
        suggestion: suggestion(for: c.name, among: Commands.table.map(\.name)))
    }
    let arguments = c.arguments.map { e in
      CommandArgument(
        word: e.bareName, location: e.startLocation, length: e.length,
        evaluate: { try self.commandArgument(self.evaluate(e), of: spec.name, at: e.startLocation) })
    }
    let options = try c.options.flatMap { try evaluateArgument($0) }
    if let tape { try refuseTracked(options.map(\.value), by: spec.name, on: tape, at: c.location, command: true) }
    return try run(spec, arguments: arguments, options: options, at: c.location)
  }

  /// Runs `spec` with its arguments, after checking every option against its option list.
  func run(
    _ spec: CommandSpec, arguments: [CommandArgument], options: [EvaluatedArgument], at location: SourceLocation
  )
    throws -> Value
  {
    for option in options where !spec.acceptsAnyOption {
      let key = option.label ?? ""
      guard spec.options.contains(key) else {
        let known =
          spec.options.isEmpty
          ? "\(spec.name) takes no options" : "\(spec.name) takes " + spec.options.map { $0 + ":" }.joined(separator: " ")
        throw RuntimeError(
          "unknown option '\(key)' for \(spec.name) (\(known))", at: option.location, length: max(1, key.count),
          suggestion: suggestion(for: key, among: spec.options))
      }
    }
    var ctx = CommandContext(name: spec.name, location: location, session: self, arguments: arguments, options: options)
    return try spec.run(&ctx)
  }

  /// Arguments evaluated in order (splats expanded).
  func evaluateArguments(_ arguments: [Argument]) throws -> [EvaluatedArgument] {
    guard arguments.contains(where: \.isSplat) else {
      return try arguments.map { a in
        EvaluatedArgument(
          label: a.label, value: try evaluate(a.value), location: a.location, length: a.label?.count ?? a.value.length,
          word: a.value.bareName)
      }
    }
    return try arguments.flatMap { try evaluateArgument($0) }
  }

  /// An argument evaluated; a `**record` splat becomes one labelled argument per field.
  func evaluateArgument(_ a: Argument) throws -> [EvaluatedArgument] {
    let v = try evaluate(a.value)
    guard a.isSplat else {
      return [
        EvaluatedArgument(
          label: a.label, value: v, location: a.location, length: a.label?.count ?? a.value.length,
          word: a.value.bareName)
      ]
    }
    guard case .record(let r) = v else {
      throw RuntimeError(
        "** needs a record (its fields become labelled arguments), got a \(v.typeName)", at: a.location, length: 2)
    }
    return r.fields.map { EvaluatedArgument(label: $0.name, value: $0.value, location: a.location, length: 2) }
  }

  // MARK: - Expressions

  public func evaluate(_ e: Expression) throws -> Value {
    switch e {
    case .number(let d, _): return .number(d)
    case .string(let s, _): return .string(s)
    case .formatString(let pieces, _): return .string(try formatted(pieces))
    case .boolean(let b, _): return .bool(b)
    case .noneLiteral: return .none
    case .name(let n, let at): return try lookup(n, at: at)
    case .list(let items, _): return .list(try items.map(evaluate))
    case .record(let fields, _):
      return .record(Record(kind: "record", fields: try fields.map { ($0.key, try evaluate($0.value)) }))
    case .member(let base, let name, let at):
      let v = try evaluate(base)
      if let tape, name == "T", let traced = try traced(transposeOf: v, on: tape, at: at) { return traced }
      return try Members.member(of: v, name, at: at)
    case .index(let base, let subscripts, let at):
      let v = try evaluate(base), s = try evaluate(subscripts)
      if let tape, let traced = try traced(v, subscripts: s, on: tape, at: at) { return traced }
      return try Subscripts.get(v, s, at: at)
    case .call(let callee, let arguments, let at): return try call(named: callee, arguments, at: at)
    case .invoke(let callee, let arguments, let at):
      return try call(value: try evaluate(callee), described: callee.description, arguments, at: at)
    case .negate(let operand, let at):
      let v = try evaluate(operand)
      if let tape, let traced = try traced(negating: v, on: tape, at: at) { return traced }
      return try Operators.negate(v, at: at)
    case .not(let operand, let at):
      let v = try evaluate(operand)
      if case .array = v { return try Operators.logicalNot(v, at: at) }
      return .bool(!(try truth(v, at: operand.location)))
    case .binary(let l, .and, let r, let at):
      let left = try evaluate(l)
      if case .array = left { return try Operators.apply(.and, left, try evaluate(r), at: at) }
      guard try truth(left, at: l.location) else { return left }
      let right = try evaluate(r)
      if case .array = right { return try Operators.apply(.and, left, right, at: at) }
      return right
    case .binary(let l, .or, let r, let at):
      let left = try evaluate(l)
      if case .array = left { return try Operators.apply(.or, left, try evaluate(r), at: at) }
      if try truth(left, at: l.location) { return left }
      let right = try evaluate(r)
      if case .array = right { return try Operators.apply(.or, left, right, at: at) }
      return right
    case .binary(let l, let op, let r, let at):
      let (x, y) = (try evaluate(l), try evaluate(r))
      if let tape, let traced = try traced(op, x, y, on: tape, at: at) { return traced }
      return try Operators.apply(op, x, y, at: at)
    }
  }

  /// Subscripts evaluated: positions and slice bounds as values (`Subscripts` checks them).
  func evaluate(_ subscripts: [Subscript]) throws -> [EvaluatedSubscript] {
    try subscripts.map { s in
      switch s {
      case .single(let e): return .single(try evaluate(e), at: e.startLocation)
      case .slice(let a, let b, let c):
        return .slice(try a.map { try evaluate($0) }, try b.map { try evaluate($0) }, try c.map { try evaluate($0) })
      }
    }
  }

  func lookup(_ name: String, at: SourceLocation) throws -> Value {
    if let scope, let v = scope.lookup(name) { return v }
    if let v = variables[name] { return v }
    if let c = Builtins.constants[name] { return .number(c) }
    if let spec = Commands.named(name) {
      throw RuntimeError(
        "\(name) is a command: write it as a statement (\(spec.example)) or call it, e.g. \(name)(…)", at: at, length: name.count)
    }
    if Constructors.named(name) != nil || Builtins.named(name) != nil {
      throw RuntimeError("\(name) is a function: call it, e.g. \(name)(…); `help \(name)` shows how", at: at, length: name.count)
    }
    if let f = try libraryFunction(name, at: at) { return .function(f) }
    var known = definitionOrder
    if let scope { known += scope.localNames.sorted() }
    throw RuntimeError(
      "unknown name '\(name)'\(libraryMissingNote(name))", at: at, length: name.count,
      suggestion: suggestion(for: name, among: known + Array(Builtins.constants.keys) + libraryNames))
  }

  // MARK: - Calls

  /// `name(…)`: a function-valued variable, a constructor, a built-in function or a command.
  func call(named name: String, _ arguments: [Argument], at: SourceLocation) throws -> Value {
    // A local may shadow a built-in name; a session variable cannot have one (`assign` refuses
    // it), so the tables come before the session's variables and a call of `len` hashes once.
    if let v = scope?.lookup(name) { return try call(value: v, described: name, arguments, at: at) }
    let callable = Callables.named(name)
    if callable == nil, let v = variables[name] { return try call(value: v, described: name, arguments, at: at) }
    switch callable {
    case .constructor(let ctor)?: return try construct(ctor, arguments, at: at)
    case .builtin(let f)?:
      if tape == nil, let fast = f.fast, !arguments.contains(where: { $0.label != nil || $0.isSplat }) {
        // Positional values only: the shortcut, or the full call with the same values. They are
        // evaluated into a buffer on the stack (a call of `len` then allocates nothing for them).
        return try withUnsafeTemporaryAllocation(of: Value.self, capacity: arguments.count) { buffer in
          var count = 0
          defer { buffer.baseAddress.map { _ = $0.deinitialize(count: count) } }
          for a in arguments {
            buffer.initializeElement(at: count, to: try evaluate(a.value))
            count += 1
          }
          let values = UnsafeBufferPointer(buffer)
          if let v = fast(values, self) { return v }
          return try f.call(
            zip(arguments, values).map { a, v in
              EvaluatedArgument(label: nil, value: v, location: a.location, length: a.value.length, word: a.value.bareName)
            }, at: at, session: self)
        }
      }
      let evaluated = try evaluateArguments(arguments)
      if let tape, let traced = try traced(f, evaluated, on: tape, at: at) { return traced }
      return try f.call(evaluated, at: at, session: self)
    case .command(let spec)?: return try callCommand(spec, arguments, at: at)
    case nil: break
    }
    if let f = try libraryFunction(name, at: at) { return try callFunction(f, try evaluateArguments(arguments), at: at) }
    throw RuntimeError(
      "unknown function '\(name)'\(libraryMissingNote(name))", at: at, length: name.count,
      suggestion: suggestion(
        for: name,
        among: Constructors.table.map(\.name) + Builtins.table.map(\.name) + Commands.table.map(\.name)
          + definitionOrder + libraryNames))
  }

  /// Calls a value: only functions can be called.
  func call(value: Value, described: String, _ arguments: [Argument], at: SourceLocation) throws -> Value {
    guard case .function(let f) = value else {
      throw RuntimeError("'\(abbreviated(described))' is a \(value.typeName), not a function", at: at, length: described.count)
    }
    return try callFunction(f, try evaluateArguments(arguments), at: at)
  }

  /// A constructor call: positional arguments bound to its positional keys, labelled ones by key.
  func construct(_ ctor: Constructor, _ arguments: [Argument], at: SourceLocation) throws -> Value {
    let evaluated = try arguments.flatMap { try evaluateArgument($0) }
    if let tape { try refuseTracked(evaluated.map(\.value), by: ctor.name, on: tape, at: at) }
    let positional = evaluated.filter { $0.label == nil }
    let labelled = evaluated.filter { $0.label != nil }
    let bound = ctor.positional.isEmpty ? [] : positional
    let extra = ctor.positional.isEmpty ? positional : []
    let keyed = try KeyedArguments(
      owner: ctor.name, location: at, positional: bound, positionalKeys: ctor.positional,
      labelled: labelled, allowed: ctor.keys)
    do {
      return try ctor.build(keyed, extra, self)
    } catch let e as ConfigurationError {
      throw keyed.error(e)
    } catch let e as CheckpointError {
      throw RuntimeError(e, at: at, length: ctor.name.count)
    }
  }

  /// A command called as a function, `accuracy(net, task)`: positional arguments as its
  /// arguments (bare names stay words, so `plot(loss)` works), labelled ones as its options.
  func callCommand(_ spec: CommandSpec, _ arguments: [Argument], at: SourceLocation) throws -> Value {
    var positional: [CommandArgument] = []
    var options: [EvaluatedArgument] = []
    for a in arguments {
      if a.label == nil && !a.isSplat {
        let e = a.value
        positional.append(
          CommandArgument(
            word: e.bareName, location: e.startLocation, length: e.length,
            evaluate: { try self.commandArgument(self.evaluate(e), of: spec.name, at: e.startLocation) }))
      } else {
        options += try evaluateArgument(a)
      }
    }
    if let tape { try refuseTracked(options.map(\.value), by: spec.name, on: tape, at: at, command: true) }
    let v = try run(spec, arguments: positional, options: options, at: at)
    if case .directive = v { throw RuntimeError("\(spec.name) cannot be called as a function", at: at, length: spec.name.count) }
    return v
  }

  // MARK: - Functions defined with `def`

  /// Calls `f` with positional `values`, as the library's hooks do (a task's functions, measures,
  /// curriculum metrics, losses): each argument located at `at`, the hook's place in the script.
  func callFunction(_ f: FunctionValue, values: [Value], at: SourceLocation) throws -> Value {
    try callFunction(f, values.map { EvaluatedArgument(label: nil, value: $0, location: at, length: 1) }, at: at)
  }

  /// The number `f` (a measure, an accuracy function: `role`) returned: a number, a boolean or a
  /// 0-d array, else an error at `at`.
  func number(_ v: Value, returnedBy f: FunctionValue, as role: String, at: SourceLocation) throws -> Double {
    guard let d = v.scalarIfZeroD.numeric else {
      throw RuntimeError("\(role) \(f.name) returned a \(v.typeName), not a number", at: at)
    }
    return d
  }

  /// Calls `f`: binds its parameters in a new scope, runs its body, returns what it returns
  /// (`none` without a `return`). An error inside adds this call to its call chain.
  func callFunction(_ f: FunctionValue, _ arguments: [EvaluatedArgument], at: SourceLocation) throws -> Value {
    let d = f.definition
    let names = f.parameterNames
    var values = [Value?](repeating: nil, count: names.count)
    var next = 0
    for a in arguments {
      if let label = a.label {
        guard let i = names.firstIndex(of: label) else {
          throw RuntimeError(
            "\(d.name)() has no parameter '\(label)' (it takes \(names.isEmpty ? "none" : names.joined(separator: ", ")))",
            at: a.location, length: label.count, suggestion: suggestion(for: label, among: names))
        }
        guard values[i] == nil else {
          throw RuntimeError("'\(label)' is given twice to \(d.name)()", at: a.location, length: label.count)
        }
        values[i] = a.value
      } else {
        guard next < names.count else {
          throw RuntimeError(
            "\(d.name)() takes \(names.count) argument\(names.count == 1 ? "" : "s"), got more", at: a.location, length: a.length)
        }
        values[next] = a.value
        next += 1
      }
    }
    let scope = Scope(parent: f.scope)
    for (i, name) in names.enumerated() {
      guard let v = values[i] ?? f.defaults[i] else {
        throw RuntimeError("\(d.name)() needs '\(name)'", at: at, length: d.name.count)
      }
      scope[local: name] = v
    }
    guard callDepth < Session.maximumCallDepth else {
      throw RuntimeError(
        "calls nest deeper than \(Session.maximumCallDepth) levels (does \(d.name) call itself without end?)", at: at,
        length: d.name.count)
    }
    let savedScope = self.scope
    self.scope = scope
    callDepth += 1
    defer {
      self.scope = savedScope
      callDepth -= 1
    }
    do {
      if case .returned(let v) = try perform(d.body) { return v }
      return .none
    } catch var e as RuntimeError {
      if e.sourceLine == nil, let location = e.location, location.file == d.location.file {
        let i = location.line - d.location.line
        if d.sourceLines.indices.contains(i) { e.sourceLine = d.sourceLines[i] }
      }
      e.callChain.append(CallFrame(function: d.name, location: at))
      throw e
    }
  }
}

/// What a name called as `name(…)` is when no variable has it: one lookup for the three tables,
/// in their order of precedence (constructors, then built-in functions, then commands).
enum Callables {
  // Boxed, so looking one up copies a reference rather than a constructor's or command's fields.
  indirect case constructor(Constructor)
  case builtin(Builtin)
  indirect case command(CommandSpec)

  static func named(_ name: String) -> Callables? { index[name] }

  private static let index: [String: Callables] = {
    var table: [String: Callables] = [:]
    for c in Commands.table { table[c.name] = .command(c) }
    for f in Builtins.table { table[f.name] = .builtin(f) }
    for c in Constructors.table { table[c.name] = .constructor(c) }
    return table
  }()
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
