// Field access: `r.outputs`, `net.W_rec`, `task.N_steps`, `x.shape`. A network's fields are its
// model's (`Network.field`): PsychRNN's parameter and weight names.

import Linear
import PsychRNN

enum Members {
  static func member(of base: Value, _ name: String, at: SourceLocation) throws -> Value {
    let fields: [String]
    switch base {
    case .record(let r):
      if let v = r[name] { return v }
      fields = r.fields.map(\.name)
    case .network(let n):
      if let f = n.model.field(name) { return value(f) }
      fields = n.model.fieldNames
    case .task(let t):
      if let v = task(t, name) { return v }
      fields = taskFields + t.task.settings.map(\.key)
    case .array(let a):
      switch name {
      case "shape": return .list(a.shape.map { .number(Double($0)) })
      case "size": return .number(Double(a.values.count))
      case "ndim": return .number(Double(a.shape.count))
      case "T": return .array(try ArrayOps.transpose(a))
      default: fields = ["shape", "size", "ndim", "T"]
      }
    case .curriculum(let c):
      switch name {
      case "stage": return .number(Double(c.stage))
      case "thresholds": return .list(c.thresholds.map { .number($0) })
      case "metric_epoch": return .number(Double(c.metricEpoch))
      case "stop_training": return .bool(c.stopTraining)
      case "metric_values": return .array(ArrayValue(shape: [c.metricValues.count, 2], values: c.metricHistory.flatMap { $0 }))
      default: fields = ["stage", "thresholds", "metric_epoch", "stop_training", "metric_values"]
      }
    case .list(let items):
      if name == "length" { return .number(Double(items.count)) }
      fields = ["length"]
    default:
      throw RuntimeError("a \(base.typeName) has no fields", at: at, length: name.count)
    }
    throw RuntimeError(
      "a \(base.typeName) has no field '\(name)'", at: at, length: name.count,
      suggestion: suggestion(for: name, among: fields))
  }

  /// A network's field as a value.
  private static func value(_ f: NetworkField) -> Value {
    switch f {
    case .matrix(let m): return .array(ArrayValue(m))
    case .vector(let v): return .array(ArrayValue(vector: v))
    case .number(let d): return .number(d)
    case .text(let s): return .string(s)
    case .none: return .none
    }
  }

  static let taskFields = ["N_in", "N_out", "dt", "tau", "T", "N_batch", "N_steps", "alpha", "name"]

  private static func task(_ t: TaskValue, _ name: String) -> Value? {
    let timing = t.task.timing
    switch name {
    case "N_in": return .number(Double(timing.nIn))
    case "N_out": return .number(Double(timing.nOut))
    case "dt": return .number(timing.dt)
    case "tau": return .number(timing.tau)
    case "T": return .number(timing.duration)
    case "N_batch": return .number(Double(timing.nBatch))
    case "N_steps": return .number(Double(timing.nSteps))
    case "alpha": return .number(timing.alpha)
    case "name": return .string(t.task.name)
    default:
      guard let setting = t.task.settings.first(where: { $0.key == name }) else { return nil }
      switch setting.value {
      case .number(let d)?: return .number(d)
      case .text(let s)?: return .string(s)
      case nil: return Value.none
      }
    }
  }

  /// The fields `member` answers for a value (for completion).
  static func fieldNames(of v: Value) -> [String] {
    switch v {
    case .record(let r): return r.fields.map(\.name)
    case .network(let n): return n.model.fieldNames
    case .task(let t): return taskFields + t.task.settings.map(\.key)
    case .array: return ["shape", "size", "ndim", "T"]
    case .curriculum: return ["stage", "thresholds", "metric_epoch", "stop_training", "metric_values"]
    default: return []
    }
  }
}
