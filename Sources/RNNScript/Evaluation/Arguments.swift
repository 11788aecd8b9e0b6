// Evaluated call and command arguments, and typed access to them by PsychRNN key: unknown keys
// are errors with a did-you-mean suggestion, wrong types say what was expected.

import Linear
import PsychRNN

/// One evaluated argument.
public struct EvaluatedArgument: Sendable {
  public var label: String?
  public var value: Value
  public var location: SourceLocation
  public var length: Int
  /// The variable name, when the argument was written as a bare name (so it can be written back).
  public var word: String? = nil
}

/// Labelled arguments of a call or command, read by key.
struct KeyedArguments {
  /// Who takes these arguments, for messages ("Basic", "train").
  let owner: String
  private(set) var entries = ArgumentTable()
  /// The keys given, in the order written.
  var order: [String] { entries.keys }
  /// Where the call is, for "missing key" errors.
  let location: SourceLocation

  /// Binds positional arguments to `positionalKeys` in order, then labelled ones; every key must be
  /// in `allowed` (unknown keys get a suggestion) and given once.
  init(
    owner: String, location: SourceLocation, positional: [EvaluatedArgument], positionalKeys: [String],
    labelled: [EvaluatedArgument], allowed: [String]
  ) throws {
    self.owner = owner
    self.location = location
    if positional.count > positionalKeys.count {
      let extra = positional[positionalKeys.count]
      let expects =
        positionalKeys.isEmpty
        ? "no positional arguments"
        : "at most \(positionalKeys.count) positional argument\(positionalKeys.count == 1 ? "" : "s") (\(positionalKeys.joined(separator: ", ")))"
      throw RuntimeError("\(owner) takes \(expects); give the rest as key: value", at: extra.location, length: extra.length)
    }
    // Positional keys are distinct and come first: nothing to check.
    for (arg, key) in zip(positional, positionalKeys) { entries.append(key, arg) }
    for arg in labelled {
      let key = arg.label ?? ""
      guard allowed.contains(key) else {
        throw RuntimeError(
          "unknown parameter '\(key)' for \(owner)", at: arg.location, length: key.count,
          suggestion: suggestion(for: key, among: allowed))
      }
      try add(key, arg)
    }
  }

  private mutating func add(_ key: String, _ arg: EvaluatedArgument) throws {
    if entries.index(of: key) != nil {
      throw RuntimeError("'\(key)' is given twice to \(owner)", at: arg.location, length: arg.length)
    }
    entries.append(key, arg)
  }

  func has(_ key: String) -> Bool { entries.index(of: key) != nil }

  /// The variable name `key`'s value was written as, if it was a bare name.
  func word(_ key: String) -> String? { entries[key]?.word }

  /// The raw value of `key`, if given (`none` counts as not given).
  func value(_ key: String) -> Value? {
    guard let v = entries.value(key) else { return nil }
    if case .none = v { return nil }
    return v
  }

  /// Fails at the argument for `key`.
  func error(_ key: String, _ message: String) -> RuntimeError {
    let a = entries[key]
    return RuntimeError("\(key): \(message)", at: a?.location ?? location, length: a?.length ?? 1)
  }

  func number(_ key: String) throws -> Double? {
    guard let v = value(key) else { return nil }
    switch v {
    case .number(let d): return d
    case .bool(let b): return b ? 1 : 0
    default: throw error(key, "expected a number, got a \(v.typeName)")
    }
  }

  func integer(_ key: String) throws -> Int? {
    guard let d = try number(key) else { return nil }
    if d.isFinite, d == d.rounded(), abs(d) >= 1e15 {
      throw error(key, "is too large: \(Format.number(d)) (the limit is 1e15)")
    }
    guard d.isFinite, d == d.rounded() else {
      throw error(key, "expected a whole number, got \(Format.number(d))")
    }
    return Int(d)
  }

  func bool(_ key: String) throws -> Bool? {
    guard let v = value(key) else { return nil }
    switch v {
    case .bool(let b): return b
    case .number(let d) where d == 0 || d == 1: return d == 1
    default: throw error(key, "expected true or false, got a \(v.typeName)")
    }
  }

  func string(_ key: String) throws -> String? {
    guard let v = value(key) else { return nil }
    guard case .string(let s) = v else { throw error(key, "expected a string, got a \(v.typeName)") }
    return s
  }

  func numbers(_ key: String) throws -> [Double]? {
    guard let v = value(key) else { return nil }
    switch v {
    case .list(let items):
      return try items.map { item in
        guard case .number(let d) = item else { throw error(key, "expected a list of numbers, found a \(item.typeName)") }
        return d
      }
    case .array(let a) where a.shape.count <= 1: return a.values
    case .number(let d): return [d]
    default: throw error(key, "expected a list of numbers, got a \(v.typeName)")
    }
  }

  /// A vector: a list of numbers, or an array of any shape, flattened.
  func vector(_ key: String) throws -> [Double]? {
    if case .array(let a)? = value(key) { return a.values }
    return try numbers(key)
  }

  func matrix(_ key: String) throws -> Matrix<Double>? {
    guard let v = value(key) else { return nil }
    switch v {
    case .array(let a):
      guard let m = a.matrix else { throw error(key, "expected a 2-d array, got shape \(Format.shape(a.shape))") }
      return m
    case .list(let rows):
      let nested = try rows.map { row -> [Double] in
        guard case .list(let items) = row else { throw error(key, "expected a list of rows") }
        return try items.map { item in
          guard case .number(let d) = item else { throw error(key, "expected numbers in the rows") }
          return d
        }
      }
      guard let width = nested.first?.count, nested.allSatisfy({ $0.count == width }) else {
        throw error(key, "rows have different lengths")
      }
      return Matrix(nested)
    default: throw error(key, "expected a 2-d array, got a \(v.typeName)")
    }
  }
}

/// The arguments of one call by key: a short list searched in order (calls have a handful of
/// arguments, and a built-in function called per trial should not hash its keys).
struct ArgumentTable {
  private var items: [(key: String, argument: EvaluatedArgument)] = []

  /// Adds `key`, which is not there yet.
  mutating func append(_ key: String, _ argument: EvaluatedArgument) { items.append((key, argument)) }

  /// The keys, in the order added.
  var keys: [String] { items.map(\.key) }

  /// Where `key` is, if given. Lengths first: comparing two different strings is slow in Swift,
  /// and keys mostly differ.
  func index(of key: String) -> Int? {
    let length = key.utf8.count
    for i in items.indices where items[i].key.utf8.count == length && items[i].key == key { return i }
    return nil
  }

  /// The value given for `key` (without copying the rest of its argument).
  func value(_ key: String) -> Value? { index(of: key).map { items[$0].argument.value } }

  subscript(key: String) -> EvaluatedArgument? { index(of: key).map { items[$0].argument } }
}
