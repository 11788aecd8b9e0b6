// Errors for invalid model, task, initializer and training settings. They name the PsychRNN key
// at fault, so the command language can point at the argument the user typed.

/// An invalid setting: which key, and what is wrong with it.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
  /// The value of `key` is not allowed.
  case invalid(key: String, message: String)
  /// An array passed under `key` has the wrong shape.
  case shapeMismatch(key: String, expected: [Int], got: [Int])

  public var key: String {
    switch self {
    case .invalid(let k, _), .shapeMismatch(let k, _, _): return k
    }
  }

  public var description: String {
    switch self {
    case .invalid(let key, let message): return "\(key) \(message)"
    case .shapeMismatch(let key, let expected, let got):
      func fmt(_ s: [Int]) -> String { "(" + s.map(String.init).joined(separator: ", ") + ")" }
      return "\(key) must have shape \(fmt(expected)), got \(fmt(got))"
    }
  }
}
