// Where names live while statements run. The session's variables are the global scope; each call
// of a `def` function gets a local scope whose parent is the scope the function was defined in
// (so functions see the globals, and a function defined inside another sees its locals).
// Assignment binds in the innermost scope.

/// The names bound by one function call.
final class Scope: @unchecked Sendable {
  var values: [String: Value] = [:]
  let parent: Scope?

  init(parent: Scope?) { self.parent = parent }

  /// The value bound to `name` here or in an enclosing scope.
  func lookup(_ name: String) -> Value? {
    var scope: Scope? = self
    while let s = scope {
      if let v = s.values[name] { return v }
      scope = s.parent
    }
    return nil
  }
}

/// A function defined with `def`: its definition, the defaults (evaluated when it was defined, as
/// in Python) and the scope it was defined in.
public struct FunctionValue: Sendable {
  public let definition: FunctionDefinition
  let defaults: [Value?]
  let scope: Scope?

  public var name: String { definition.name }
  public var parameterNames: [String] { definition.parameters.map(\.name) }
}

/// One function call in progress, for the call chain an error reports.
public struct CallFrame: Sendable, Equatable {
  /// The function called.
  public var function: String
  /// Where it was called from.
  public var location: SourceLocation
}
