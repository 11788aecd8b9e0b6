// The evaluator's hook into the tape. While `Session.tape` is set (a loss or regularizer being
// differentiated), the evaluator offers each operator, subscript, `.T`, loop element and built-in
// call to these functions first; each returns nil unless an operand is tracked, and the evaluator
// then goes its ordinary way. With no tape the evaluator tests one optional and nothing else.
//
// What reads a tracked value but makes nothing from it (print, str, len, if, shapes, comparisons)
// works as always. Anything that would make a new value from a tracked one without a backward
// rule (another built-in, a command, a constructor, assignment into part of an array) is refused
// with the operation's name and where it is, never silently cut from the gradient.

extension Session {
  // MARK: - Running a function on a tape

  /// Calls `f` with the arguments `makeArguments` builds from `inputs` recorded on a fresh tape,
  /// and returns its value (one number) and, when `gradient`, d value / d each input. `context`
  /// names what is running for errors ("loss_function my_loss"); `at` is where it was given.
  func differentiate(
    _ f: FunctionValue, inputs: [ArrayValue], gradient: Bool, context: String, at: SourceLocation,
    makeArguments: ([ArrayValue]) -> [Value]
  ) throws -> (value: Double, gradients: [ArrayValue]) {
    guard gradient else {
      let v = try callFunction(f, values: makeArguments(inputs), at: at)
      return (try scalar(v, of: f, context: context), [])
    }
    tapeSerial &+= 1
    let t = Tape(serial: tapeSerial, context: context)
    let saved = tape
    tape = t
    defer { tape = saved }
    let tracked = inputs.map(t.input)
    let v = try callFunction(f, values: makeArguments(tracked), at: at)
    let value = try scalar(v, of: f, context: context)
    guard case .array(let out) = v else { return (value, try t.gradients(of: ArrayValue(scalar: value), withRespectTo: tracked)) }
    do {
      return (value, try t.gradients(of: out, withRespectTo: tracked))
    } catch let e as ArrayError {
      throw RuntimeError("\(context): while differentiating: \(e.message)", at: f.definition.location)
    }
  }

  /// The number a loss or regularizer returned: a number or a one-element array.
  private func scalar(_ v: Value, of f: FunctionValue, context: String) throws -> Double {
    switch v {
    case .number(let d): return d
    case .bool(let b): return b ? 1 : 0
    case .array(let a) where a.values.count == 1: return a.values[0]
    case .array(let a):
      throw RuntimeError(
        "\(context) returned an array of shape \(Format.shape(a.shape)), not one number: reduce it with mean(…) or sum(…)",
        at: f.definition.location, length: f.name.count)
    default:
      throw RuntimeError(
        "\(context) returned a \(v.typeName), not a number", at: f.definition.location, length: f.name.count)
    }
  }

  // MARK: - The hooks

  /// `x op y` with a tracked operand.
  func traced(_ op: BinaryOperator, _ x: Value, _ y: Value, on tape: Tape, at: SourceLocation) throws -> Value? {
    guard isTracked(x, on: tape) || isTracked(y, on: tape) else { return nil }
    guard let a = try array(x, on: tape, at: at), let b = try array(y, on: tape, at: at) else { return nil }
    return try located(at) {
      .array(op == .matrixProduct ? try tape.matmul(a, b) : try tape.binary(Operators.elementwise(op), a, b))
    }
  }

  /// `-x` of a tracked array.
  func traced(negating v: Value, on tape: Tape, at: SourceLocation) throws -> Value? {
    guard case .array(let a) = v, tape.tracks(a) else { return nil }
    return .array(tape.unary(.negate, a))
  }

  /// `x.T` of a tracked array.
  func traced(transposeOf v: Value, on tape: Tape, at: SourceLocation) throws -> Value? {
    guard case .array(let a) = v, tape.tracks(a) else { return nil }
    return try located(at) { .array(try tape.transpose(a, axes: nil)) }
  }

  /// `x[…]` of a tracked array (0-d results stay arrays, to keep their gradient).
  func traced(_ v: Value, subscripts: [EvaluatedSubscript], on tape: Tape, at: SourceLocation) throws -> Value? {
    guard case .array(let a) = v, tape.tracks(a) else { return nil }
    let idx = try Subscripts.arrayIndices(subscripts, at: at)
    return try located(at) { .array(try tape.index(a, idx)) }
  }

  /// Item `i` of a `for` over a tracked array.
  func traced(element i: Int, of v: Value, on tape: Tape) throws -> Value? {
    guard case .array(let a) = v, tape.tracks(a) else { return nil }
    return .array(try tape.index(a, [.index(i)]))
  }

  /// A built-in function called with a tracked argument: its rule, or an error.
  func traced(_ f: Builtin, _ evaluated: [EvaluatedArgument], on tape: Tape, at: SourceLocation) throws -> Value? {
    guard evaluated.contains(where: { isTracked($0.value, on: tape) }) else { return nil }
    if Session.readingBuiltins.contains(f.name) { return try f.call(evaluated, at: at, session: self) }
    let a = try KeyedArguments(
      owner: f.name, location: at, positional: evaluated.filter { $0.label == nil }, positionalKeys: f.parameters,
      labelled: evaluated.filter { $0.label != nil }, allowed: f.parameters + f.keywords)
    for p in f.parameters.prefix(f.required) where !a.has(p) {
      throw RuntimeError("\(f.name)() needs \(p): \(f.signature)", at: at, length: f.name.count)
    }
    func x(_ key: String) throws -> ArrayValue {
      guard let v = a.value(key), let arr = try array(v, on: tape, at: a.location(of: key)) else {
        throw a.error(key, "expected an array or a number")
      }
      return arr
    }
    func list(_ key: String) throws -> [ArrayValue] {
      guard case .list(let items)? = a.value(key) else { throw a.error(key, "expected a list of arrays") }
      return try items.map { item in
        guard let arr = try array(item, on: tape, at: a.location(of: key)) else {
          throw a.error(key, "expected arrays in the list, found a \(item.typeName)")
        }
        return arr
      }
    }
    let result: ArrayValue
    do {
      if let u = UnaryFunction(rawValue: f.name) {
        result = tape.unary(u, try x("x"))
      } else if let r = Reduction(rawValue: f.name) {
        result = try tape.reduce(r, try x("x"), axis: try a.integer("axis"))
      } else {
        switch f.name {
        case "clip": result = try tape.clip(try x("x"), try x("lo"), try x("hi"))
        case "where": result = try tape.where(try x("condition"), try x("x"), try x("y"))
        case "maximum": result = try tape.binary(.maximum, try x("x"), try x("y"))
        case "minimum": result = try tape.binary(.minimum, try x("x"), try x("y"))
        case "reshape": result = try tape.reshape(try x("x"), try Builtins.shape(a, "shape", at: at))
        case "transpose":
          result = try tape.transpose(try x("x"), axes: a.has("axes") ? try Builtins.shape(a, "axes", at: at) : nil)
        case "concatenate": result = try tape.concatenate(try list("arrays"), axis: try a.integer("axis") ?? 0)
        case "stack": result = try tape.stack(try list("arrays"), axis: try a.integer("axis") ?? 0)
        default: throw notDifferentiable("`\(f.name)`", on: tape, at: at, length: f.name.count)
        }
      }
    } catch let e as ArrayError {
      throw RuntimeError("\(f.name): \(e.message)", at: at, length: f.name.count)
    }
    return tape.tracks(result) ? .array(result) : Value.array(result).scalarIfZeroD
  }

  /// Built-ins that only read their arguments or pass them on unchanged: they take tracked values
  /// as they are.
  static let readingBuiltins: Set<String> = ["len", "str", "keys", "append"]

  /// Commands that only show their arguments.
  static let readingCommands: Set<String> = ["print"]

  /// A command's argument, refused when tracked (unless the command only shows it).
  func commandArgument(_ v: Value, of command: String, at: SourceLocation) throws -> Value {
    if let tape { try refuseTracked([v], by: command, on: tape, at: at, command: true) }
    return v
  }

  /// Refuses tracked values given to `operation`, which has no backward rule.
  func refuseTracked(_ values: [Value], by operation: String, on tape: Tape, at: SourceLocation, command: Bool = false) throws {
    if command && Session.readingCommands.contains(operation) { return }
    guard values.contains(where: { isTracked($0, on: tape) }) else { return }
    let name = operation.contains(" ") ? operation : "`\(operation)`"
    throw notDifferentiable(name, on: tape, at: at, length: operation.count)
  }

  private func notDifferentiable(_ name: String, on tape: Tape, at: SourceLocation, length: Int) -> RuntimeError {
    RuntimeError(
      "\(name) is not differentiable; inside \(tape.context) at line \(at.line) "
        + "(differentiable: arithmetic, @, indexing, where, clip, maximum, minimum, abs, sqrt, exp, log, tanh, "
        + "sum, mean, std, var, min, max, prod, reshape, transpose, concatenate, stack; docs/autodiff.md)",
      at: at, length: length)
  }

  // MARK: - Values on the tape

  /// Whether `v` holds an array this tape recorded (in a list or record too).
  func isTracked(_ v: Value, on tape: Tape) -> Bool {
    switch v {
    case .array(let a): return tape.tracks(a)
    case .list(let items): return items.contains { isTracked($0, on: tape) }
    case .record(let r): return r.fields.contains { isTracked($0.value, on: tape) }
    default: return false
    }
  }

  /// `v` as an array: a list holding tracked items is stacked on the tape.
  private func array(_ v: Value, on tape: Tape, at: SourceLocation) throws -> ArrayValue? {
    guard case .list(let items) = v, isTracked(v, on: tape) else { return try v.asArray(at: at) }
    var parts: [ArrayValue] = []
    for item in items {
      guard let p = try array(item, on: tape, at: at) else { return nil }
      parts.append(p)
    }
    return try located(at) { try tape.stack(parts, axis: 0) }
  }

  /// `body`, its array errors located at `at`.
  private func located<T>(_ at: SourceLocation, _ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as ArrayError { throw RuntimeError(e.message, at: at) }
  }
}
