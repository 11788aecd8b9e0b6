// Indexing and assignment into parts of values: `x[0, 1]`, `x[:, -1, :]`, `w[0:10, ::2]`,
// `x[mask]`, `items[-1]`, `r["coherence"]`, and `w.W_rec[0:10, 0:10] = 0`, `r.a = 3`. Arrays follow
// numpy (Arrays/Indexing.swift); lists and strings follow Python (one position or a slice);
// records take a field name.

/// A subscript with its parts evaluated.
enum EvaluatedSubscript {
  case single(Value, at: SourceLocation)
  case slice(Value?, Value?, Value?)
}

enum Subscripts {
  /// `base[subscripts]`.
  static func get(_ base: Value, _ subscripts: [EvaluatedSubscript], at: SourceLocation) throws -> Value {
    switch base {
    case .array(let a):
      do {
        let r = try ArrayOps.subscript(get: a, try arrayIndices(subscripts, at: at))
        return r.shape.isEmpty ? .number(r.values[0]) : .array(r)
      } catch let e as ArrayError {
        throw RuntimeError(e.message, at: at)
      }
    case .list(let items):
      switch try sequenceIndex(subscripts, count: items.count, what: "list", at: at) {
      case .position(let i): return items[i]
      case .positions(let p): return .list(p.map { items[$0] })
      }
    case .string(let s):
      let characters = Array(s)
      switch try sequenceIndex(subscripts, count: characters.count, what: "string", at: at) {
      case .position(let i): return .string(String(characters[i]))
      case .positions(let p): return .string(String(p.map { characters[$0] }))
      }
    case .record(let r):
      let key = try fieldName(subscripts, at: at)
      guard let v = r[key] else {
        throw RuntimeError(
          "this \(r.kind) has no field '\(key)'", at: at, suggestion: suggestion(for: key, among: r.fields.map(\.name)))
      }
      return v
    default:
      throw RuntimeError("a \(base.typeName) cannot be indexed", at: at)
    }
  }

  /// `base[subscripts] = value`, changing `base` in place (its storage is copied only if
  /// another value shares it). On an error `base` is as it was.
  static func set(_ base: inout Value, _ subscripts: [EvaluatedSubscript], to value: Value, at: SourceLocation) throws {
    // Not in the `switch` below: the copy of `base` it matches lives to the end of the case, so
    // the array's storage would never be uniquely owned and every assignment would copy it.
    if base.isArray { return try setElements(of: &base, subscripts, to: value, at: at) }
    switch base {
    case .list(var items):
      switch try sequenceIndex(subscripts, count: items.count, what: "list", at: at) {
      case .position(let i): items[i] = value
      case .positions(let p):
        guard case .list(let new) = value, new.count == p.count else {
          throw RuntimeError("assigning to a slice of \(p.count) items needs a list of \(p.count) items", at: at)
        }
        for (i, v) in zip(p, new) { items[i] = v }
      }
      base = .list(items)
    case .record(var r):
      r.set(try fieldName(subscripts, at: at), value)
      base = .record(r)
    default:
      throw RuntimeError("cannot assign into a \(base.typeName)", at: at)
    }
  }

  // MARK: - Arrays

  /// `array[subscripts] = value`: the array is taken out of `base`, so it is its storage's only
  /// owner and changes in place.
  private static func setElements(
    of base: inout Value, _ subscripts: [EvaluatedSubscript], to value: Value, at: SourceLocation
  ) throws {
    guard let v = try value.asArray(at: at) else {
      throw RuntimeError("cannot put a \(value.typeName) into an array", at: at)
    }
    let indices = try arrayIndices(subscripts, at: at)
    var a = base.takeArray()!
    do {
      try ArrayOps.subscript(set: &a, indices, to: v)
    } catch {
      base = .array(a)  // unchanged: the checks come before any write
      throw RuntimeError(error.message, at: at)
    }
    a.mark = nil  // a changed copy is no longer what a tape recorded
    base = .array(a)
  }

  /// Subscripts as numpy indices: whole numbers, slices of whole numbers, a list of positions, or
  /// an array of 0s and 1s (a comparison's result) as a mask.
  static func arrayIndices(_ subscripts: [EvaluatedSubscript], at: SourceLocation) throws -> [ArrayIndex] {
    try subscripts.map { s in
      switch s {
      case .single(let v, let location):
        switch v {
        case .number, .bool: return .index(try whole(v, "an index", at: location))
        case .list(let items): return .indices(try items.map { try whole($0, "a position in the list", at: location) })
        case .array(let a) where a.values.allSatisfy({ $0 == 0 || $0 == 1 }) && !a.shape.isEmpty: return .mask(a)
        case .array(let a) where a.shape.count == 1:
          return .indices(try a.values.map { try whole(.number($0), "a position", at: location) })
        case .none: return .newAxis
        default:
          throw RuntimeError(
            "an index must be a whole number, a slice, a list of positions or a mask, got a \(v.typeName)", at: location)
        }
      case .slice(let a, let b, let c):
        return .slice(start: try optionalWhole(a, at: at), stop: try optionalWhole(b, at: at), step: try optionalWhole(c, at: at))
      }
    }
  }

  // MARK: - Lists and strings

  enum SequencePosition {
    case position(Int)
    case positions([Int])
  }

  /// One position (negative counts from the end) or a Python slice of a list or string.
  static func sequenceIndex(
    _ subscripts: [EvaluatedSubscript], count: Int, what: String, at: SourceLocation
  ) throws -> SequencePosition {
    guard subscripts.count == 1 else { throw RuntimeError("a \(what) takes one index, got \(subscripts.count)", at: at) }
    switch subscripts[0] {
    case .single(let v, let location):
      let i = try whole(v, "an index", at: location)
      let p = i < 0 ? count + i : i
      guard (0..<count).contains(p) else {
        throw RuntimeError("index \(i) is out of range for a \(what) of \(count) item\(count == 1 ? "" : "s")", at: location)
      }
      return .position(p)
    case .slice(let a, let b, let c):
      let step = try optionalWhole(c, at: at) ?? 1
      guard step != 0 else { throw RuntimeError("a slice step cannot be 0", at: at) }
      func clamp(_ v: Int?, _ fallback: Int) -> Int {
        guard var v else { return fallback }
        if v < 0 { v += count }
        return step > 0 ? min(max(v, 0), count) : min(max(v, -1), count - 1)
      }
      let start = clamp(try optionalWhole(a, at: at), step > 0 ? 0 : count - 1)
      let stop = clamp(try optionalWhole(b, at: at), step > 0 ? count : -1)
      return .positions(Array(stride(from: start, to: stop, by: step)))
    }
  }

  // MARK: - Helpers

  static func fieldName(_ subscripts: [EvaluatedSubscript], at: SourceLocation) throws -> String {
    guard subscripts.count == 1, case .single(.string(let key), _) = subscripts[0] else {
      throw RuntimeError("a record is indexed by a field name in quotes, e.g. r[\"coherence\"]", at: at)
    }
    return key
  }

  static func whole(_ v: Value, _ what: String, at: SourceLocation) throws -> Int {
    guard let d = v.numeric, d == d.rounded(), abs(d) < 1e15 else {
      throw RuntimeError("\(what) must be a whole number, got \(v.numeric.map(Format.number) ?? "a " + v.typeName)", at: at)
    }
    return Int(d)
  }

  static func optionalWhole(_ v: Value?, at: SourceLocation) throws -> Int? {
    guard let v else { return nil }
    if case .none = v { return nil }
    return try whole(v, "a slice bound", at: at)
  }
}

extension Value {
  var isArray: Bool {
    if case .array = self { return true }
    return false
  }

  /// The array this value holds, leaving `.none` in its place: the caller then owns the
  /// array's storage alone (unless another value shares it), so changing it copies nothing.
  mutating func takeArray() -> ArrayValue? {
    guard case .array(let a) = self else { return nil }
    self = .none
    return a
  }
}

extension Record {
  /// Sets field `name`, adding it at the end if new.
  mutating func set(_ name: String, _ value: Value) {
    if let i = fields.firstIndex(where: { $0.name == name }) { fields[i].value = value } else { fields.append((name, value)) }
  }
}

extension Session {
  /// One step of an assignment's path with its subscripts evaluated.
  private enum EvaluatedStep {
    case field(String, at: SourceLocation)
    case index([EvaluatedSubscript], at: SourceLocation)
  }

  /// `target = value`: evaluates the path's subscripts (which may read the variable itself, as
  /// in `x[len(x) - 1] = 0`), then takes the variable's value out, changes the part the path
  /// names in place, and puts it back (as it was, if the change fails).
  func assign(into target: AssignmentTarget, _ value: Value) throws {
    let steps = try target.path.map { step -> EvaluatedStep in
      switch step {
      case .field(let name, let at): return .field(name, at: at)
      case .index(let subscripts, let at): return .index(try evaluate(subscripts), at: at)
      }
    }
    let owner = scope.flatMap { $0.owner(of: target.name) }
    guard var current = owner.map({ $0[local: target.name]! }) ?? variables[target.name] else {
      throw RuntimeError("unknown name '\(target.name)'", at: target.location, length: target.name.count)
    }
    // Leave nothing else holding the value, so an array changes without being copied.
    if let owner { owner[local: target.name] = Value.none } else { replaceVariable(target.name, with: .none) }
    defer { if let owner { owner[local: target.name] = current } else { replaceVariable(target.name, with: current) } }
    try replace(in: &current, path: steps[...], with: value)
  }

  private func replace(in base: inout Value, path: ArraySlice<EvaluatedStep>, with value: Value) throws {
    guard let step = path.first else {
      base = value
      return
    }
    switch step {
    case .field(let name, let at):
      guard case .record(var r) = base else {
        if case .network = base {
          throw RuntimeError(
            "a network's fields cannot be assigned: take w = get_weights(net), change w, and build Basic(**w, …)", at: at,
            length: name.count)
        }
        throw RuntimeError("cannot set field '\(name)' of a \(base.typeName)", at: at, length: name.count)
      }
      if r[name] == nil && path.count > 1 {
        throw RuntimeError("this \(r.kind) has no field '\(name)'", at: at, length: name.count)
      }
      var inner = r[name] ?? .none
      try replace(in: &inner, path: path.dropFirst(), with: value)
      base = .none
      r.set(name, inner)
      base = .record(r)
    case .index(let evaluated, let at):
      if let tape { try refuseTracked([base, value], by: "assigning into part of an array", on: tape, at: at) }
      if path.count == 1 { return try Subscripts.set(&base, evaluated, to: value, at: at) }
      var inner = try Subscripts.get(base, evaluated, at: at)
      try replace(in: &inner, path: path.dropFirst(), with: value)
      try Subscripts.set(&base, evaluated, to: inner, at: at)
    }
  }
}
