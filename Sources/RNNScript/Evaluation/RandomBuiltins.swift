// numpy's legacy random functions (`np.random.uniform`, `randn`, …), with numpy's names, argument
// order and algorithms (Linear/NumpyRandom.swift), so a task written with them draws exactly what
// the same PsychRNN task draws in Python from the same seed. They draw from the trial stream:
// inside a user task's functions the generator's, at the prompt the session's (`seed N` resets it).
// Arrays fill in row-major order, one draw per element, as numpy's do.

import Linear

extension Builtins {
  static let random: [Builtin] = [
    Builtin(
      name: "rand", parameters: ["d0", "d1", "d2", "d3"], required: 0, keywords: [],
      summary: "uniform numbers on [0, 1) of shape (d0, d1, …); one number without sizes (np.random.rand)",
      example: "onset = rand() * T / 2"
    ) { a, at, session in
      try draw(dimensions(a, at: at), session, fill: { $0.fill(uniforms: $1) }) { $0.uniform() }
    }.withShortcut { values, session in
      guard let shape = sizes(values) else { return nil }
      return try? draw(shape.isEmpty ? nil : shape, session, fill: { $0.fill(uniforms: $1) }) { $0.uniform() }
    },
    Builtin(
      name: "randn", parameters: ["d0", "d1", "d2", "d3"], required: 0, keywords: [],
      summary: "standard normals of shape (d0, d1, …); one number without sizes (np.random.randn)",
      example: "x = sqrt(2 * alpha * 0.01) * randn(len(t), 2)"
    ) { a, at, session in
      try draw(dimensions(a, at: at), session, fill: { $0.fill(normals: $1) }) { $0.normal() }
    }.withShortcut { values, session in
      guard let shape = sizes(values) else { return nil }
      return try? draw(shape.isEmpty ? nil : shape, session, fill: { $0.fill(normals: $1) }) { $0.normal() }
    },
    Builtin(
      name: "uniform", parameters: ["low", "high", "size"], required: 0, keywords: [],
      summary: "uniform numbers on [low, high) (defaults 0, 1), size: a count or shape (np.random.uniform)",
      example: "onset = uniform(0, T / 2)"
    ) { a, at, session in
      let low = try a.number("low") ?? 0, high = try a.number("high") ?? 1
      return try draw(size(a, at: at), session) { $0.uniform(low, high) }
    },
    Builtin(
      name: "normal", parameters: ["loc", "scale", "size"], required: 0, keywords: [],
      summary: "normal numbers with mean loc and standard deviation scale (defaults 0, 1) (np.random.normal)",
      example: "jitter = normal(0, 50)"
    ) { a, at, session in
      let loc = try a.number("loc") ?? 0, scale = try a.number("scale") ?? 1
      guard !(scale < 0) else { throw a.error("scale", "must be ≥ 0, got \(Format.number(scale))") }
      return try draw(size(a, at: at), session) { loc + scale * $0.normal() }
    },
    Builtin(
      name: "exponential", parameters: ["scale", "size"], required: 0, keywords: [],
      summary: "exponential numbers with mean scale (default 1) (np.random.exponential)",
      example: "coherence = exponential(0.2)"
    ) { a, at, session in
      let scale = try a.number("scale") ?? 1
      guard !(scale < 0) else { throw a.error("scale", "must be ≥ 0, got \(Format.number(scale))") }
      return try draw(size(a, at: at), session) { scale * $0.exponential() }
    },
    Builtin(
      name: "randint", parameters: ["low", "high", "size"], required: 1, keywords: [],
      summary: "whole numbers in [low, high), or [0, low) without high (np.random.randint)",
      example: "delay = randint(2, 6) * 100"
    ) { a, at, session in
      var low = try a.integer("low")!, high = try a.integer("high")
      if high == nil { (low, high) = (0, low) }
      let top = high!
      guard low < top else { throw a.error(a.has("high") ? "high" : "low", "needs low < high, got [\(low), \(top))") }
      let span = top - low
      guard span <= 1 << 32 else { throw a.error("high", "high − low must be at most 2³², got \(span)") }
      return try draw(size(a, at: at), session) { Double(low + $0.integer(below: span)) }
    },
    Builtin(
      name: "choice", parameters: ["a", "size"], required: 1, keywords: [],
      summary: "uniform picks (with replacement) from a list or 1-d array, or from 0…a−1 for a number (np.random.choice)",
      example: "direction = choice([0, 1])"
    ) { a, at, session in
      let options = try choices(a, at: at)
      guard !options.isEmpty else { throw a.error("a", "cannot choose from nothing (it is empty)") }
      guard options.count <= 1 << 32 else { throw a.error("a", "has more than 2³² entries") }
      guard let shape = try size(a, at: at) else {
        return session.drawing { options[$0.integer(below: options.count)] }
      }
      let count = try ArrayOps.elementCount(shape)
      let picks = session.drawing { rng in (0..<count).map { _ in options[rng.integer(below: options.count)] } }
      if picks.allSatisfy({ $0.numeric != nil }) { return .array(ArrayValue(shape: shape, values: picks.map { $0.numeric! })) }
      guard shape.count == 1 else { throw a.error("size", "choices of non-numbers come as a list: give a count") }
      return .list(picks)
    }.withShortcut { values, session in
      // One pick from a list or a 1-d array (`choice([0, 1])`, a task's commonest draw).
      guard values.count == 1 else { return nil }
      switch values[0] {
      case .list(let items) where !items.isEmpty && items.count <= 1 << 32:
        return session.drawing { items[$0.integer(below: items.count)] }
      case .array(let x) where x.shape.count == 1 && !x.values.isEmpty && x.values.count <= 1 << 32:
        return .number(session.drawing { x.values[$0.integer(below: x.values.count)] })
      default: return nil
      }
    },
    Builtin(
      name: "permutation", parameters: ["x"], required: 1, keywords: [],
      summary: "0…x−1 for a number, or a list's or array's first axis, in a random order (np.random.permutation)",
      example: "order = permutation(len(trials))"
    ) { a, at, session in
      switch a.value("x") {
      case .number?:
        let n = try count(a, "x", at: at)
        guard n <= ArrayOps.maximumElements else { throw a.error("x", "is larger than \(ArrayOps.maximumElements)") }
        var order = (0..<n).map(Double.init)
        session.drawing { $0.shuffle(&order) }
        return .array(ArrayValue(vector: order))
      case .list(var items)?:
        session.drawing { $0.shuffle(&items) }
        return .list(items)
      case .array(let x)? where !x.shape.isEmpty:
        var rows = (0..<x.shape[0]).map { x.element($0) }
        session.drawing { $0.shuffle(&rows) }
        return .array(ArrayValue(shape: x.shape, values: rows.flatMap(\.values)))
      case let v:
        throw a.error("x", "expected a number, a list or an array, got a \(v?.typeName ?? "none")")
      }
    },
  ]

  /// One number (no shape) or an array of `shape` filled in row-major order: by `fill` at once
  /// when given (the generator's own loop, the same values as `one` per element).
  @inline(__always) private static func draw(
    _ shape: [Int]?, _ session: Session,
    fill: ((inout NumpyRandom, UnsafeMutableBufferPointer<Double>) -> Void)? = nil,
    _ one: (inout NumpyRandom) -> Double
  ) throws -> Value {
    guard let shape else { return .number(session.drawing(one)) }
    let count = try ArrayOps.elementCount(shape)
    let values = session.drawing { rng in
      [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
        if let fill { fill(&rng, buffer) } else { for i in 0..<count { buffer[i] = one(&rng) } }
        initialized = count
      }
    }
    return .array(ArrayValue(shape: shape, values: values))
  }

  /// `rand(d0, d1, …)`'s sizes from plain values (at most four whole numbers whose product is
  /// allowed, so the draw cannot fail after it starts), or nil.
  private static func sizes(_ values: ShortcutValues) -> [Int]? {
    guard values.count <= 4 else { return nil }
    var shape: [Int] = []
    for v in values {
      guard let n = wholeNumbers(v), n.count == 1, case .number = v else { return nil }
      shape.append(n[0])
    }
    guard (try? ArrayOps.elementCount(shape)) != nil else { return nil }
    return shape
  }

  /// `rand(d0, d1, …)`: the sizes given, or nil for none.
  private static func dimensions(_ a: KeyedArguments, at: SourceLocation) throws -> [Int]? {
    var sizes: [Int] = []
    for key in dimensionKeys where a.has(key) {
      guard key == dimensionKeys[sizes.count] else { throw RuntimeError("give the sizes in order, d0 first", at: at) }
      sizes.append(try count(a, key, at: at))
    }
    return sizes.isEmpty ? nil : sizes
  }
  private static let dimensionKeys = ["d0", "d1", "d2", "d3"]

  /// `size:` as a shape (a count or a list), or nil when not given.
  private static func size(_ a: KeyedArguments, at: SourceLocation) throws -> [Int]? {
    guard a.value("size") != nil else { return nil }
    let s = try shape(a, "size", at: at)
    if let bad = s.first(where: { $0 < 0 }) { throw a.error("size", "sizes must be ≥ 0, got \(bad)") }
    return s
  }

  /// What `choice` picks from: a list's items, a 1-d array's entries, or 0…n−1.
  private static func choices(_ a: KeyedArguments, at: SourceLocation) throws -> [Value] {
    switch a.value("a") {
    case .list(let items)?: return items
    case .array(let x)? where x.shape.count == 1: return x.values.map(Value.number)
    case .number?:
      let n = try count(a, "a", at: at)
      guard n <= ArrayOps.maximumElements else { throw a.error("a", "is larger than \(ArrayOps.maximumElements)") }
      return (0..<n).map { .number(Double($0)) }
    case let v:
      throw a.error("a", "expected a list, a 1-d array or a count, got a \(v?.typeName ?? "none")")
    }
  }
}
