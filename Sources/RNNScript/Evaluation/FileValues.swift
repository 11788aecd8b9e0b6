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
      return .record(try record(try readNPZ(path: path), kind: "file \(path)"))
    } catch let e as NumpyFormatError {
      throw RuntimeError("cannot load \(path): \(e)")
    }
  }

  /// Named arrays (a .npz file's members, a network's weights) as a record: 0-d arrays become
  /// numbers, pickled None and numbers their values, pickled function references their names.
  static func record(_ entries: [(String, NumpyArray)], kind: String) throws -> Record {
    var fields: [(name: String, value: Value)] = []
    for (rawKey, a) in entries {
      // Names and strings from a file are shown to the user: no terminal escapes get through.
      let key = sanitizedForDisplay(rawKey)
      if let o = a.object {
        switch o {
        case .none: fields.append((key, .none))
        case .float(let d): fields.append((key, .number(d)))
        case .int(let i): fields.append((key, .number(Double(i))))
        case .global(_, let name): fields.append((key, .string(sanitizedForDisplay(name))))
        }
      } else {
        fields.append((key, a.shape.isEmpty ? .number(try a.asDoubles()[0]) : .array(try array(a, key: key))))
      }
    }
    return Record(kind: kind, fields: fields)
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
      throw RuntimeError(e.problem)
    }
  }

  /// A weights dictionary built in the language (`get_weights(net)`, changed), as a weights
  /// file's contents: numbers and arrays as float64, `none` and function names as PsychRNN's
  /// pickled entries.
  static func checkpoint(_ fields: [(name: String, value: Value)], at location: SourceLocation) throws -> Checkpoint.Contents {
    var entries: [(String, NumpyArray)] = []
    for (name, v) in fields {
      switch v {
      case .none: entries.append((name, NumpyArray(object: .none)))
      case .string(let f) where name == "transfer_function":
        guard let tf = TransferFunction(name: f) else {
          throw RuntimeError(
            "transfer_function: unknown function '\(f)'", at: location,
            suggestion: suggestion(for: f, among: TransferFunction.allCases.map(\.rawValue)))
        }
        entries.append((name, NumpyArray(object: .global(module: tf.tensorflowModule, name: tf.rawValue))))
      default: entries.append((name, try numeric(v, field: name, at: location)))
      }
    }
    do {
      return try Checkpoint.contents(of: entries, source: "the weights record")
    } catch let e as CheckpointError {
      throw RuntimeError(e.problem, at: location)
    } catch let e as NumpyFormatError {
      throw RuntimeError("the weights record: \(e)", at: location)
    }
  }

  // MARK: - Writing

  /// Writes an array value as .npy (float64).
  static func save(_ value: ArrayValue, to path: String) throws {
    try writeNPY(NumpyArray(shape: value.shape, float64: value.values), to: path)
  }

  /// Writes a record's fields as the members of a .npz file, numbers and arrays only (so numpy
  /// loads it with `allow_pickle=False`).
  /// An analysis's record (one `CSV.analysisTables` knows) keeps what it can: nested records'
  /// numeric fields as `params.coherence`, and leaves out text (the names returned, for the message).
  @discardableResult
  static func save(_ r: Record, to path: String, at location: SourceLocation) throws -> [String] {
    guard CSV.analysisTables[r.kind] != nil else {
      let entries = try r.fields.map { (name, v) in (name, try numeric(v, field: name, at: location)) }
      try writeNPZ(entries, to: path)
      return []
    }
    var entries: [(String, NumpyArray)] = [], left: [String] = []
    func add(_ name: String, _ v: Value) throws {
      if case .record(let inner) = v {
        for f in inner.fields { try add(name + "." + f.name, f.value) }
      } else if (try? v.asArray(at: location)) ?? nil != nil {
        entries.append((name, try numeric(v, field: name, at: location)))
      } else {
        left.append(name)
      }
    }
    for f in r.fields { try add(f.name, f.value) }
    try writeNPZ(entries, to: path)
    return left
  }

  /// A number, boolean, array or list of numbers as a float64 array.
  private static func numeric(_ v: Value, field: String, at location: SourceLocation) throws -> NumpyArray {
    guard let a = try v.asArray(at: location) else {
      throw RuntimeError(
        "field '\(field)' is a \(v.typeName): a .npz file holds numbers and arrays (drop the field, or save the record as .csv)",
        at: location)
    }
    return NumpyArray(shape: a.shape, float64: a.values)
  }
}
