// Errors raised while a statement runs. They carry where (the argument or expression at fault)
// and, where one helps, a suggestion; the shell renders them like syntax errors.

/// An evaluation error: what went wrong, where, and what the user probably meant.
public struct RuntimeError: Error, CustomStringConvertible {
  public var message: String
  public var location: SourceLocation?
  public var length: Int
  public var suggestion: String?
  /// The function calls the error passed through, innermost first (empty outside functions).
  public var callChain: [CallFrame] = []
  /// The text of the line at `location` when the shell cannot find it in the input it is
  /// running (a line inside a function defined elsewhere).
  public var sourceLine: String?

  public init(_ message: String, at location: SourceLocation? = nil, length: Int = 1, suggestion: String? = nil) {
    self.message = message
    self.location = location
    self.length = length
    self.suggestion = suggestion
  }

  public var description: String {
    suggestion.map { "\(message) (did you mean '\($0)'?)" } ?? message
  }

  /// The same error pinned to `location` if it has none yet.
  func located(at location: SourceLocation, length: Int = 1) -> RuntimeError {
    guard self.location == nil else { return self }
    var e = self
    e.location = location
    e.length = length
    return e
  }
}
