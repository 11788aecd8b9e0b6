// What a command sees while it runs: its positional arguments (evaluated only when asked, because
// some are bare words such as `W_rec` or `loss`), its `key: value` options, and the session.

import PsychRNN

/// One positional command argument.
struct CommandArgument {
  /// The bare name, when the argument is written as one (`net`, `W_rec`, `loss`).
  let word: String?
  let location: SourceLocation
  let length: Int
  let evaluate: () throws -> Value
}

/// A command's arguments, consumed left to right.
struct CommandContext {
  let name: String
  let location: SourceLocation
  let session: Session
  let arguments: [CommandArgument]
  let options: [EvaluatedArgument]
  /// The next positional argument to consume.
  private(set) var next = 0

  init(name: String, location: SourceLocation, session: Session, arguments: [CommandArgument], options: [EvaluatedArgument]) {
    self.name = name; self.location = location; self.session = session
    self.arguments = arguments; self.options = options
  }

  var hasMore: Bool { next < arguments.count }
  var peekWord: String? { hasMore ? arguments[next].word : nil }

  /// Where the next argument is (or the command, when there is none).
  var here: SourceLocation { hasMore ? arguments[next].location : location }

  /// Fails at the next argument, or at the command when arguments are missing.
  func error(_ message: String, suggestion: String? = nil) -> RuntimeError {
    if hasMore {
      return RuntimeError(message, at: arguments[next].location, length: arguments[next].length, suggestion: suggestion)
    }
    return RuntimeError(message, at: location, length: name.count, suggestion: suggestion)
  }

  /// The network named by the next argument, which must name one.
  mutating func network(required: Bool) throws -> String {
    guard let w = peekWord, case .network? = session.variables[w] else {
      throw error("expected the name of a network variable")
    }
    next += 1
    return w
  }

  /// The network named by the next argument, if it names one; else the current network.
  /// Returns the variable name (commands write the changed network back under it).
  mutating func network() throws -> String {
    if let w = peekWord, case .network? = session.variables[w] {
      next += 1
      return w
    }
    guard let current = session.currentNetwork, case .network? = session.variables[current] else {
      throw error("no network yet: create one first, e.g. net = Basic(task, N_rec: 50)")
    }
    return current
  }

  /// The network stored under `name`.
  func networkValue(_ name: String) -> NetworkValue {
    guard case .network(let n)? = session.variables[name] else { preconditionFailure("\(name) is not a network") }
    return n
  }

  /// The next argument's value.
  mutating func value(_ what: String) throws -> (value: Value, argument: CommandArgument) {
    guard hasMore else { throw error("\(name) needs \(what)") }
    let a = arguments[next]
    let v: Value
    do { v = try a.evaluate() } catch let e as RuntimeError { throw e.located(at: a.location, length: a.length) }
    next += 1
    return (v, a)
  }

  /// A bare word from `choices` (`loss`, `W_rec`, `unit` …).
  mutating func word(_ choices: [String], what: String) throws -> String {
    guard hasMore else { throw error("\(name) needs \(what): one of \(choices.joined(separator: ", "))") }
    guard let w = arguments[next].word, choices.contains(w) else {
      let written = arguments[next].word ?? "this"
      throw error(
        "\(name) expects \(what) (\(choices.joined(separator: ", "))), not '\(written)'",
        suggestion: arguments[next].word.flatMap { suggestion(for: $0, among: choices) })
    }
    next += 1
    return w
  }

  /// The next argument as a task.
  mutating func task() throws -> TaskValue {
    let (v, a) = try value("a task")
    guard case .task(let t) = v else {
      throw RuntimeError("expected a task, got a \(v.typeName)", at: a.location, length: a.length)
    }
    return t
  }

  /// The next argument as a whole number.
  mutating func integer(_ what: String) throws -> Int {
    let (v, a) = try value(what)
    guard case .number(let d) = v, d.isFinite, d == d.rounded(), abs(d) < 1e15 else {
      throw RuntimeError(
        "\(what) must be a whole number, got \(v.typeName == "number" ? "\(v)" : "a \(v.typeName)")", at: a.location,
        length: a.length)
    }
    return Int(d)
  }

  /// The next argument as a string.
  mutating func string(_ what: String) throws -> String {
    let (v, a) = try value(what)
    guard case .string(let s) = v else {
      throw RuntimeError("\(what) must be a string, got a \(v.typeName)", at: a.location, length: a.length)
    }
    return s
  }

  /// Fails if positional arguments are left over.
  func finish() throws {
    if hasMore { throw error("unexpected extra argument to \(name)") }
  }

  /// The options, checked against `allowed`.
  func keyed(_ allowed: [String]) throws -> KeyedArguments {
    try KeyedArguments(owner: name, location: location, positional: [], positionalKeys: [], labelled: options, allowed: allowed)
  }

  /// Stores a changed network and makes it current.
  func store(_ name: String, _ network: NetworkValue) {
    session.define(name, .network(network))
  }
}
