// Values that cross the script's edge: names bound before a script runs (`psychrnn --set lr=0.01`,
// a sweep's grid point) and the results it `report`s. Both are `BoundValue`s (Sweep): numbers,
// strings, booleans, none and lists of them.

import Sweep

extension Session {
  /// Binds `name` to `value` before the script runs (`--set`); refuses names the language keeps
  /// for itself (commands, functions, keywords) or that are no names. The name is remembered: a
  /// `report` under it is refused (it is already a column of the sweep's table).
  public func bindFromOutside(_ name: String, _ value: BoundValue) throws(OutsideValueError) {
    guard let first = name.unicodeScalars.first, first == "_" || first.isASCIILetter,
      name.unicodeScalars.allSatisfy({ $0 == "_" || $0.isASCIILetter || ("0"..."9").contains($0) })
    else {
      throw OutsideValueError(name: name, problem: "is not a variable name (letters, digits and _, not starting with a digit)")
    }
    if Keyword(rawValue: name) != nil || ["true", "false", "none"].contains(name) {
      throw OutsideValueError(name: name, problem: "is a keyword of the language")
    }
    if Session.builtinNames.contains(name) || Builtins.constants[name] != nil {
      throw OutsideValueError(name: name, problem: "is the name of a command, constructor, function or constant")
    }
    define(name, Value(value))
    boundFromOutside.insert(name)
  }

  /// Whether `name` was bound from outside (`--set` or a sweep's grid).
  public func isBoundFromOutside(_ name: String) -> Bool { boundFromOutside.contains(name) }
}

/// A `--set NAME=VALUE` the session refuses.
public struct OutsideValueError: Error, Sendable, Equatable, CustomStringConvertible {
  public let name: String
  public let problem: String
  public var description: String { "'\(name)' \(problem)" }
}

extension Unicode.Scalar {
  fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}

extension Value {
  /// A bound value as the language holds it (lists stay lists).
  public init(_ b: BoundValue) {
    switch b {
    case .number(let d): self = .number(d)
    case .string(let s): self = .string(s)
    case .bool(let v): self = .bool(v)
    case .none: self = .none
    case .list(let items): self = .list(items.map(Value.init))
    }
  }
}
