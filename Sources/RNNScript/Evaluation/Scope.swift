// Where names live while statements run. The session's variables are the global scope; each call
// of a `def` function gets a local scope whose parent is the scope the function was defined in
// (so functions see the globals, and a function defined inside another sees its locals).
// Assignment binds in the innermost scope.

/// The names bound by one function call: a short list searched from the start (a function has a
/// handful of locals, so this beats a dictionary: no hashing, no rehashing as locals are added,
/// and a task's functions run once per trial). The bindings are the class's own arrays, so
/// reading one copies no list, and each name's length is kept to skip most comparisons (Swift
/// compares two different strings slowly).
final class Scope: @unchecked Sendable {
  let parent: Scope?
  private var names: [String] = []
  private var lengths: [Int] = []
  private var bound: [Value] = []

  init(parent: Scope?) {
    self.parent = parent
    names.reserveCapacity(8)
    lengths.reserveCapacity(8)
    bound.reserveCapacity(8)
  }

  private func position(of name: String, length: Int) -> Int? {
    for i in lengths.indices where lengths[i] == length && names[i] == name { return i }
    return nil
  }

  /// The value bound to `name` in this scope itself (nil to unbind).
  subscript(local name: String) -> Value? {
    get { position(of: name, length: name.utf8.count).map { bound[$0] } }
    set {
      let length = name.utf8.count
      if let i = position(of: name, length: length) {
        if let newValue {
          bound[i] = newValue
        } else {
          names.remove(at: i)
          lengths.remove(at: i)
          bound.remove(at: i)
        }
      } else if let newValue {
        names.append(name)
        lengths.append(length)
        bound.append(newValue)
      }
    }
  }

  /// The value bound to `name` here or in an enclosing scope.
  func lookup(_ name: String) -> Value? {
    let length = name.utf8.count
    if let i = position(of: name, length: length) { return bound[i] }  // the commonest: a local
    var scope = parent
    while let s = scope {
      if let i = s.position(of: name, length: length) { return s.bound[i] }
      scope = s.parent
    }
    return nil
  }

  /// The scope (this or an enclosing one) that binds `name`.
  func owner(of name: String) -> Scope? {
    let length = name.utf8.count
    var scope: Scope? = self
    while let s = scope {
      if s.position(of: name, length: length) != nil { return s }
      scope = s.parent
    }
    return nil
  }

  /// The names bound here, in the order they were first bound.
  var localNames: [String] { names }
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
