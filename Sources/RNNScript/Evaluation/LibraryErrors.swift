// Library errors become diagnostics here, by their cases (never by cutting their text): a
// configuration error points at the argument whose key it names; the others at the statement.

import Linear
import NumpyFormat
import PsychRNN

extension ConfigurationError {
  /// What is wrong, without the key (the diagnostic points at the key's argument).
  var problem: String {
    switch self {
    case .invalid(_, let message): return message
    case .shapeMismatch(_, let expected, let got): return "must have shape \(Format.shape(expected)), got \(Format.shape(got))"
    }
  }
}

extension KeyedArguments {
  /// A configuration error, pointing at the argument of the key it names.
  func error(_ e: ConfigurationError) -> RuntimeError { error(e.key, e.problem) }
}

extension RuntimeError {
  /// A library error raised by the statement at `location` (`length` columns).
  init(_ error: Error, at location: SourceLocation, length: Int) {
    switch error {
    case let e as RuntimeError: self = e.located(at: location, length: length)
    case let e as ConfigurationError:
      self.init(e.key == "ablate" ? e.problem : "\(e.key): \(e.problem)", at: location, length: length)
    case let e as TrainingError: self.init(e.problem, at: location, length: length)
    case let e as CheckpointError: self.init(e.problem, at: location, length: length)
    // A file's structure (NumpyFormatError) is described by the file layer itself: its cases are
    // about bytes, offsets and members, and each already names the path.
    default: self.init("\(error)", at: location, length: length)
    }
  }
}

extension TrainingError {
  var problem: String {
    switch self {
    case .diverged(let epoch, let detail):
      return "training diverged at batch \(epoch): \(detail); the network keeps its weights from the last finite step "
        + "(try a smaller learning_rate or clip_grads: true)"
    case .incompatibleData(let message): return message
    case .customFunction(let name, let problem): return "\(name) \(problem)"
    }
  }
}

extension CheckpointError {
  var problem: String {
    switch self {
    case .missingKeys(let path, let keys):
      return "\(path) is not a PsychRNN weights file: it has no \(keys.joined(separator: ", "))"
    case .badShape(let path, let key, let shape): return "\(path): '\(key)' has an unusable shape \(Format.shape(shape))"
    case .badValue(let path, let key, let detail): return "\(path): '\(key)' \(detail)"
    case .sizeMismatch(let path, let detail): return "\(path): \(detail)"
    }
  }
}
