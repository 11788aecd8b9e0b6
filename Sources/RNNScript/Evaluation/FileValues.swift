// Files as values: `load("x.npy")` is an array, `load("w.npz")` a record of its arrays;
// `save NET "w.npz"` writes a PsychRNN weights file, `save VALUE "x.npy"` an array.
// All writes are atomic (NumpyFormat writes a temporary file, then renames it).

import Linear
import NumpyFormat
import PsychRNN

enum FileValues {
  /// Reads a .npy (→ array) or .npz (→ record of arrays, by key) file.
  static func load(_ path: String) throws -> Value {
    do {
      if path.hasSuffix(".npy") { return .array(try array(readNPY(path: path), key: path)) }
      let entries = try readNPZ(path: path)
      var fields: [(name: String, value: Value)] = []
      for (key, a) in entries {
        if let o = a.object {
          switch o {
          case .none: fields.append((key, .none))
          case .float(let d): fields.append((key, .number(d)))
          case .int(let i): fields.append((key, .number(Double(i))))
          case .global(_, let name): fields.append((key, .string(name)))
          }
        } else {
          fields.append((key, a.shape.isEmpty ? .number(try a.asDoubles()[0]) : .array(try array(a, key: key))))
        }
      }
      return .record(Record(kind: "file \(path)", fields: fields))
    } catch let e as NumpyFormatError {
      throw RuntimeError("cannot load \(path): \(e)")
    }
  }

  private static func array(_ a: NumpyArray, key: String) throws -> ArrayValue {
    ArrayValue(shape: a.shape, values: try a.asDoubles())
  }

  /// A weights file's contents, read once (sizes for the configuration, then the model).
  static func checkpoint(_ path: String) throws -> Checkpoint.Contents {
    do {
      return try Checkpoint.load(path: path)
    } catch let e as NumpyFormatError {
      throw RuntimeError("cannot load \(path): \(e)")
    } catch let e as CheckpointError {
      throw RuntimeError("\(e)")
    }
  }

  /// Writes an array value as .npy (float64).
  static func save(_ value: ArrayValue, to path: String) throws {
    try writeNPY(NumpyArray(shape: value.shape, float64: value.values), to: path)
  }
}
