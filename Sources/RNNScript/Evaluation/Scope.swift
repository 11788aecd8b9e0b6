// Where names live while statements run. The session's variables are the global scope; each call
// of a `def` function gets a local scope whose parent is the scope the function was defined in
// (so functions see the globals, and a function defined inside another sees its locals).
// Assignment binds in the innermost scope.

/// The names bound by one function call.
final class Scope: @unchecked Sendable {
  var values = LocalNames()
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

/// A call's local names: a short list searched from the start. Functions have a handful of
/// locals, so this beats a dictionary (no hashing, no rehashing as locals are added), and a task's
/// functions run once per trial.
struct LocalNames {
  private var names: [String] = []
  private var bound: [Value] = []

  init() {
    names.reserveCapacity(8)
    bound.reserveCapacity(8)
  }

  subscript(name: String) -> Value? {
    get {
      // Lengths first: comparing two different strings is slow in Swift, and names mostly differ.
      let length = name.utf8.count
      for i in names.indices where names[i].utf8.count == length && names[i] == name { return bound[i] }
      return nil
    }
    set {
      if let i = names.firstIndex(of: name) {
        if let newValue {
          bound[i] = newValue
        } else {
          names.remove(at: i)
          bound.remove(at: i)
        }
      } else if let newValue {
        names.append(name)
        bound.append(newValue)
      }
    }
  }

  /// The names bound, in the order they were first bound.
  var keys: [String] { names }
}

/// A function defined with `def`: its definition, the defaults (evaluated when it was defined, as
/// in Python) and the scope it was defined in.
public struct FunctionValue: Sendable {
  public let definition: FunctionDefinition
  let defaults: [Value?]
  let scope: Scope?
  /// The parameters' names, in order (kept: every call binds them).
  public let parameterNames: [String]

  init(definition: FunctionDefinition, defaults: [Value?], scope: Scope?) {
    self.definition = definition
    self.defaults = defaults
    self.scope = scope
    parameterNames = definition.parameters.map(\.name)
  }

  public var name: String { definition.name }
}

/// One function call in progress, for the call chain an error reports.
public struct CallFrame: Sendable, Equatable {
  /// The function called.
  public var function: String
  /// Where it was called from.
  public var location: SourceLocation
}
