// The built-in functions, under numpy's names with numpy's argument order and `axis:` (the
// numeric work is in Arrays/), plus the language's own: range, len, keys, append, str. Each entry
// has a signature, a summary and an example for `help`; the table also feeds completion.

import Foundation

/// The positional values a shortcut is given: the caller's own storage (a call's arguments are
/// evaluated into a buffer on the stack, not an array on the heap), valid during the call.
typealias ShortcutValues = UnsafeBufferPointer<Value>

/// A built-in function: its parameters (positional in this order, or by name), extra keyword-only
/// options, and what it does. A class, so a call takes one reference to its entry rather than
/// copying nine fields.
final class Builtin: Sendable {
  let name: String
  let parameters: [String]
  /// How many leading parameters must be given.
  let required: Int
  let keywords: [String]
  let summary: String
  let example: String
  let body: @Sendable (_ args: KeyedArguments, _ at: SourceLocation, _ session: Session) throws -> Value
  /// Every key it accepts (parameters, then keywords).
  let allowed: [String]
  /// A shortcut for the commonest call with positional arguments only, taking the values as they
  /// are: the result, or nil to leave the call (with the same values) to `body`, which checks
  /// and explains. It must give what `body` gives, and draw nothing before it decides.
  let fast: (@Sendable (_ values: ShortcutValues, _ session: Session) -> Value?)?

  /// This function with `fast` as its shortcut.
  func withShortcut(_ fast: @escaping @Sendable (_ values: ShortcutValues, _ session: Session) -> Value?) -> Builtin {
    Builtin(
      name: name, parameters: parameters, required: required, keywords: keywords, summary: summary, example: example,
      body: body, fast: fast)
  }

  init(
    name: String, parameters: [String], required: Int, keywords: [String], summary: String, example: String,
    body: @escaping @Sendable (_ args: KeyedArguments, _ at: SourceLocation, _ session: Session) throws -> Value,
    fast: (@Sendable (_ values: ShortcutValues, _ session: Session) -> Value?)? = nil
  ) {
    self.name = name; self.parameters = parameters; self.required = required; self.keywords = keywords
    self.summary = summary; self.example = example; self.body = body; self.fast = fast
    allowed = parameters + keywords
  }

  /// `sum(x, axis: none)`.
  var signature: String {
    let params = parameters.enumerated().map { i, p in i < required ? p : "\(p): …" }
    return "\(name)(" + (params + keywords.map { "\($0): …" }).joined(separator: ", ") + ")"
  }

  /// Calls the function with evaluated arguments.
  func call(_ arguments: [EvaluatedArgument], at: SourceLocation, session: Session) throws -> Value {
    let labelled = arguments.contains { $0.label != nil }
    let a = try KeyedArguments(
      owner: name, location: at, positional: labelled ? arguments.filter { $0.label == nil } : arguments,
      positionalKeys: parameters, labelled: labelled ? arguments.filter { $0.label != nil } : [], allowed: allowed)
    for p in parameters.prefix(required) where !a.has(p) {
      throw RuntimeError("\(name)() needs \(p): \(signature)", at: at, length: name.count)
    }
    do {
      return try body(a, at, session)
    } catch let e as ArrayError {
      throw RuntimeError("\(name): \(e.message)", at: at, length: name.count)
    }
  }
}

enum Builtins {
  static func named(_ name: String) -> Builtin? { index[name] }
  /// Every function's name (for completion).
  public static var names: [String] { table.map(\.name) }
  private static let index: [String: Builtin] = Dictionary(table.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })

  /// `nan`, `inf`, `pi` (and `e`? no: `e` is too common a variable name).
  static let constants: [String: Double] = ["nan": .nan, "inf": .infinity, "pi": Double.pi]

  static let table: [Builtin] = reductions + elementwise + shapes + creation + random + language + sweeps

  // MARK: - Reductions

  static let reductions: [Builtin] = [
    reduction(.sum, "the sum of the entries (along axis)", "sum(r.outputs, axis: 0)"),
    reduction(.mean, "the mean of the entries (along axis)", "mean(acc_by_seed)"),
    reduction(.std, "the standard deviation (ddof 0, as numpy)", "std(accs)"),
    reduction(.variance, "the variance (ddof 0, as numpy)", "var(accs)"),
    reduction(.min, "the smallest entry (nan if any is nan)", "min(x, axis: 1)"),
    reduction(.max, "the largest entry (nan if any is nan)", "max(abs(a - b))"),
    reduction(.argmin, "the position of the smallest entry (flat without axis)", "argmin(losses)"),
    reduction(.argmax, "the position of the largest entry (flat without axis)", "argmax(r.outputs[:, -1, :], axis: 1)"),
    reduction(.any, "1 if any entry is non-zero", "any(isnan(x))"),
    reduction(.all, "1 if every entry is non-zero", "all(w.W_rec >= 0)"),
    reduction(.prod, "the product of the entries", "prod(x.shape)"),
  ]

  private static func reduction(_ r: Reduction, _ summary: String, _ example: String) -> Builtin {
    Builtin(name: r.rawValue, parameters: ["x", "axis"], required: 1, keywords: [], summary: summary, example: example) {
      a, at, _ in
      let x = try array(a, "x", at: at)
      let result = try ArrayOps.reduce(r, x, axis: try a.integer("axis"))
      return result.shape.isEmpty ? .number(result.values[0]) : .array(result)
    }
  }

  // MARK: - Elementwise

  static let elementwise: [Builtin] = [
    unary(.abs, "absolute value", "abs(a - b)"), unary(.sqrt, "square root", "sqrt(var(x))"),
    unary(.exp, "e to the power", "exp(-t / tau)"), unary(.log, "natural logarithm", "log(losses)"),
    unary(.tanh, "hyperbolic tangent", "tanh(x)"), unary(.sin, "sine (radians)", "sin(2 * pi * t / 1000)"),
    unary(.cos, "cosine (radians)", "cos(theta - preferred)"), unary(.sign, "-1, 0 or 1 (nan stays nan)", "sign(net.W_rec)"),
    unary(.round, "round to the nearest whole number, halves to even (as numpy)", "round(x)"),
    unary(.floor, "round down", "floor(t / dt)"), unary(.ceil, "round up", "ceil(n / 2)"),
    unary(.isnan, "1 where nan, else 0", "any(isnan(x))"), unary(.isinf, "1 where ±inf", "isinf(x)"),
    unary(.isfinite, "1 where finite", "all(isfinite(w.W_rec))"),
    Builtin(
      name: "clip", parameters: ["x", "lo", "hi"], required: 3, keywords: [], summary: "x limited to [lo, hi]",
      example: "clip(r.outputs, 0, 1)"
    ) { a, at, _ in
      .array(try ArrayOps.clip(try array(a, "x", at: at), try array(a, "lo", at: at), try array(a, "hi", at: at))).scalarIfZeroD
    },
    Builtin(
      name: "where", parameters: ["condition", "x", "y"], required: 3, keywords: [],
      summary: "x where condition is non-zero, else y (elementwise)", example: "where(t >= 500, 1, 0)"
    ) { a, at, _ in
      .array(try ArrayOps.where(try array(a, "condition", at: at), try array(a, "x", at: at), try array(a, "y", at: at)))
        .scalarIfZeroD
    },
    binary("maximum", .maximum, "the elementwise larger (nan if either is nan)", "maximum(x, 0)"),
    binary("minimum", .minimum, "the elementwise smaller (nan if either is nan)", "minimum(x, 1)"),
  ]

  private static func unary(_ f: UnaryFunction, _ summary: String, _ example: String) -> Builtin {
    Builtin(name: f.rawValue, parameters: ["x"], required: 1, keywords: [], summary: summary, example: example) { a, at, _ in
      .array(ArrayOps.unary(f, try array(a, "x", at: at))).scalarIfZeroD
    }.withShortcut { values, _ in
      guard values.count == 1 else { return nil }
      switch values[0] {
      case .array(let x): return .array(ArrayOps.unary(f, x)).scalarIfZeroD
      case .number(let d): return .number(ArrayOps.unary(f, scalar: d))
      default: return nil
      }
    }
  }

  private static func binary(_ name: String, _ op: BinaryOp, _ summary: String, _ example: String) -> Builtin {
    Builtin(name: name, parameters: ["x", "y"], required: 2, keywords: [], summary: summary, example: example) { a, at, _ in
      .array(try ArrayOps.elementwise(op, try array(a, "x", at: at), try array(a, "y", at: at))).scalarIfZeroD
    }
  }

  // MARK: - Shapes

  static let shapes: [Builtin] = [
    Builtin(
      name: "reshape", parameters: ["x", "shape"], required: 2, keywords: [],
      summary: "the entries in a new shape (one -1 allowed)",
      example: "reshape(arange(6), [2, 3])"
    ) { a, at, _ in
      .array(try ArrayOps.reshape(try array(a, "x", at: at), try shape(a, "shape", at: at)))
    }.withShortcut { values, _ in
      guard values.count == 2, case .array(let x) = values[0], let shape = wholeNumbers(values[1]) else { return nil }
      return (try? ArrayOps.reshape(x, shape)).map(Value.array)
    },
    Builtin(
      name: "transpose", parameters: ["x", "axes"], required: 1, keywords: [],
      summary: "axes reversed, or in the order given (x.T)",
      example: "transpose(r.states, [1, 0, 2])"
    ) { a, at, _ in
      .array(try ArrayOps.transpose(try array(a, "x", at: at), axes: a.has("axes") ? try shape(a, "axes", at: at) : nil))
    },
    Builtin(
      name: "concatenate", parameters: ["arrays", "axis"], required: 1, keywords: [],
      summary: "arrays joined along an existing axis", example: "concatenate([a, b], axis: 0)"
    ) { a, at, _ in
      .array(try ArrayOps.concatenate(try arrays(a, "arrays", at: at), axis: try a.integer("axis") ?? 0))
    },
    Builtin(
      name: "stack", parameters: ["arrays", "axis"], required: 1, keywords: [], summary: "arrays joined along a new axis",
      example: "stack([acc1, acc2])"
    ) { a, at, _ in
      .array(try ArrayOps.stack(try arrays(a, "arrays", at: at), axis: try a.integer("axis") ?? 0))
    },
    Builtin(
      name: "len", parameters: ["x"], required: 1, keywords: [],
      summary: "items of a list, characters of a string, length of an array's first axis",
      example: "len(b.params)"
    ) { a, at, _ in
      switch a.value("x") {
      case .list(let items)?: return .number(Double(items.count))
      case .string(let s)?: return .number(Double(s.count))
      case .record(let r)?: return .number(Double(r.fields.count))
      case .array(let x)?:
        guard let n = x.shape.first else { throw RuntimeError("len() of a 0-d array", at: at) }
        return .number(Double(n))
      default: throw a.error("x", "len() needs a list, a string, a record or an array")
      }
    }.withShortcut { values, _ in
      guard values.count == 1 else { return nil }
      switch values[0] {
      case .array(let x): return x.shape.first.map { .number(Double($0)) }
      case .list(let items): return .number(Double(items.count))
      default: return nil
      }
    },
  ]

  // MARK: - Creation

  static let creation: [Builtin] = [
    Builtin(
      name: "zeros", parameters: ["shape", "cols"], required: 1, keywords: [], summary: "an array of zeros of the given shape",
      example: "mask = zeros([50, 50])"
    ) { a, at, _ in .array(try ArrayOps.zeros(try creationShape(a, at: at))) }
    .withShortcut { values, _ in creationShortcut(values).flatMap { try? ArrayOps.zeros($0) }.map(Value.array) },
    Builtin(
      name: "ones", parameters: ["shape", "cols"], required: 1, keywords: [], summary: "an array of ones of the given shape",
      example: "mask = ones([50, 50])"
    ) { a, at, _ in .array(try ArrayOps.ones(try creationShape(a, at: at))) }
    .withShortcut { values, _ in creationShortcut(values).flatMap { try? ArrayOps.ones($0) }.map(Value.array) },
    Builtin(
      name: "full", parameters: ["shape", "value"], required: 2, keywords: [], summary: "an array of one value",
      example: "full([4, 3], 0.5)"
    ) { a, at, _ in
      .array(try ArrayOps.full(try shape(a, "shape", at: at), try number(a, "value")))
    },
    Builtin(
      name: "eye", parameters: ["n", "m"], required: 1, keywords: ["k"], summary: "the identity (ones on diagonal k)",
      example: "D = eye(50)"
    ) { a, at, _ in
      .array(try ArrayOps.eye(try count(a, "n", at: at), try a.integer("m"), k: try a.integer("k") ?? 0))
    },
    Builtin(
      name: "arange", parameters: ["start", "stop", "step"], required: 1, keywords: [],
      summary: "evenly spaced values in [start, stop) (one argument: [0, n))", example: "t = arange(0, 2000, 10)"
    ) { a, at, _ in
      .array(try ArrayOps.arange(try number(a, "start"), try a.number("stop"), step: try a.number("step")))
    },
    Builtin(
      name: "linspace", parameters: ["start", "stop", "num"], required: 2, keywords: ["endpoint"],
      summary: "num evenly spaced values from start to stop", example: "coherences = linspace(0, 0.5, 6)"
    ) { a, at, _ in
      .array(
        try ArrayOps.linspace(
          try number(a, "start"), try number(a, "stop"), num: try a.integer("num") ?? 50,
          endpoint: try a.bool("endpoint") ?? true))
    },
    Builtin(
      name: "range", parameters: ["start", "stop", "step"], required: 1, keywords: [],
      summary: "whole numbers from start (0) up to, not including, stop", example: "for s in range(1, 9) { … }"
    ) { a, at, _ in
      let first = try count(a, "start", at: at, allowNegative: true)
      let (start, stop) = a.has("stop") ? (first, try count(a, "stop", at: at, allowNegative: true)) : (0, first)
      let step = try a.integer("step") ?? 1
      guard step != 0 else { throw a.error("step", "cannot be 0") }
      return .array(try ArrayOps.arange(Double(start), Double(stop), step: Double(step)))
    },
  ]

  // MARK: - Lists, records, text

  static let language: [Builtin] = [
    Builtin(
      name: "keys", parameters: ["record"], required: 1, keywords: [], summary: "a record's field names", example: "keys(w)"
    ) { a, _, _ in
      guard case .record(let r)? = a.value("record") else { throw a.error("record", "keys() needs a record") }
      return .list(r.fields.map { .string($0.name) })
    },
    Builtin(
      name: "append", parameters: ["list", "item"], required: 2, keywords: [],
      summary: "a new list with item added at the end (the list itself is unchanged)", example: "accs = append(accs, acc)"
    ) { a, _, _ in
      guard case .list(let items)? = a.value("list") ?? .list([]) else { throw a.error("list", "append() needs a list") }
      return .list(items + [a.entries["item"]!.value])
    },
    Builtin(
      name: "get_weights", parameters: ["net"], required: 1, keywords: [],
      summary: "PsychRNN's weight dictionary of a network, as a record (every key of its saved file)",
      example: "w = get_weights(net); w.W_rec[0:10, 0:10] = 0; net2 = Basic(**w, dt: 10, tau: 100)"
    ) { a, _, _ in
      guard case .network(let n)? = a.value("net") else { throw a.error("net", "get_weights() needs a network") }
      return .record(try FileValues.record(n.model.weightEntries(), kind: "weights"))
    },
    Builtin(
      name: "str", parameters: ["x"], required: 1, keywords: [], summary: "a value as text, as print shows it",
      example: "\"seed \" + str(s)"
    ) { a, _, _ in
      .string(Printer.plain(a.entries["x"]!.value))
    },
    Builtin(
      name: "error", parameters: ["message"], required: 1, keywords: [],
      summary: "stops with an error saying message, here (with the call chain)",
      example: "if T < 1000 { error(\"T must be at least 1000, got \" + str(T)) }"
    ) { a, at, _ in
      throw RuntimeError(Printer.plain(a.entries["message"]!.value), at: at, length: 5)
    },
  ]

  // MARK: - Arguments

  static func array(_ a: KeyedArguments, _ key: String, at: SourceLocation) throws -> ArrayValue {
    guard let v = a.entries[key]?.value else { throw a.error(key, "is missing") }
    guard let x = try v.asArray(at: a.location(of: key)) else {
      throw a.error(key, "expected an array or a number, got a \(v.typeName)")
    }
    return x
  }

  static func arrays(_ a: KeyedArguments, _ key: String, at: SourceLocation) throws -> [ArrayValue] {
    guard case .list(let items)? = a.value(key) else { throw a.error(key, "expected a list of arrays") }
    return try items.map { item in
      guard let x = try item.asArray(at: a.location(of: key)) else {
        throw a.error(key, "expected arrays in the list, found a \(item.typeName)")
      }
      return x
    }
  }

  static func number(_ a: KeyedArguments, _ key: String) throws -> Double {
    guard let d = try a.number(key) else { throw a.error(key, "is missing") }
    return d
  }

  /// A size: a whole number (≥ 0 unless allowed).
  static func count(_ a: KeyedArguments, _ key: String, at: SourceLocation, allowNegative: Bool = false) throws -> Int {
    guard let n = try a.integer(key) else { throw a.error(key, "is missing") }
    guard allowNegative || n >= 0 else { throw a.error(key, "must be ≥ 0, got \(n)") }
    return n
  }

  /// A shape: a whole number or a list (or 1-d array) of them.
  static func shape(_ a: KeyedArguments, _ key: String, at: SourceLocation) throws -> [Int] {
    switch a.value(key) {
    case .number?: return [try a.integer(key)!]
    case .list(let items)?:
      return try items.map { item in
        guard let d = item.numeric, d == d.rounded(), abs(d) < 1e15 else {
          throw a.error(key, "expected whole numbers in the shape")
        }
        return Int(d)
      }
    case .array(let x)? where x.shape.count <= 1:
      return try x.values.map { d in
        guard d == d.rounded(), abs(d) < 1e15 else { throw a.error(key, "expected whole numbers in the shape") }
        return Int(d)
      }
    default: throw a.error(key, "expected a shape: a whole number or a list such as [50, 50]")
    }
  }

  /// Whole numbers 0…10^15 as sizes: a number or a list of them (nil for anything else).
  static func wholeNumbers(_ v: Value) -> [Int]? {
    func size(_ v: Value) -> Int? {
      guard case .number(let d) = v, d >= 0, d < 1e15, d == d.rounded() else { return nil }
      return Int(d)
    }
    switch v {
    case .number: return size(v).map { [$0] }
    case .list(let items):
      var sizes: [Int] = []
      for item in items {
        guard let n = size(item) else { return nil }
        sizes.append(n)
      }
      return sizes
    default: return nil
    }
  }

  /// The shape of `zeros(n)`, `zeros([r, c])` or `zeros(r, c)` from plain values, or nil.
  static func creationShortcut(_ values: ShortcutValues) -> [Int]? {
    guard let first = values.first.flatMap(wholeNumbers) else { return nil }
    if values.count == 1 { return first }
    guard values.count == 2, case .number = values[1], let cols = wholeNumbers(values[1]) else { return nil }
    return first + cols
  }

  /// `zeros([r, c])`, `zeros(n)`, or the shorthand `zeros(r, c)`.
  static func creationShape(_ a: KeyedArguments, at: SourceLocation) throws -> [Int] {
    var s = try shape(a, "shape", at: at)
    if a.has("cols") { s.append(try count(a, "cols", at: at)) }
    if let bad = s.first(where: { $0 < 0 }) { throw a.error("shape", "sizes must be ≥ 0, got \(bad)") }
    return s
  }
}

extension Value {
  /// A 0-d array as a number (numpy's scalars), anything else as it is.
  var scalarIfZeroD: Value {
    if case .array(let a) = self, a.shape.isEmpty { return .number(a.values[0]) }
    return self
  }
}
