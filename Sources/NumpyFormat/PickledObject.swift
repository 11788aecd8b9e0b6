// The one Python object held by a 0-d object array (numpy dtype `|O`), as far as PsychRNN needs it.

/// The element of a 0-d numpy object array, recovered from (or written as) a Python pickle.
///
/// PsychRNN stores `dale_ratio = None` and `transfer_function` (a TensorFlow function such as
/// `tensorflow.python.ops.gen_nn_ops.relu`) this way. Only these simple kinds of objects are understood.
public enum PickledObject: Hashable, Sendable, CustomStringConvertible {
  /// Python's `None`.
  case none
  /// A Python `float`.
  case float(Double)
  /// A Python `int` that fits in 64 bits.
  case int(Int)
  /// A reference to a module-level Python object, such as a function: `module.name`.
  case global(module: String, name: String)

  public var description: String {
    switch self {
    case .none: return "None"
    case .float(let value): return "\(value)"
    case .int(let value): return "\(value)"
    case .global(let module, let name): return "\(module).\(name)"
    }
  }
}
