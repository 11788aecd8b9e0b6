// Field access: `r.outputs`, `net.W_rec`, `task.N_steps`, `x.shape`. Networks expose PsychRNN's
// parameter and weight names; W_in/W_rec/W_out are the effective weights (as PsychRNN's
// get_weights returns them).

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
      if let v = network(n, name) { return v }
      fields = networkFields
    case .task(let t):
      if let v = task(t, name) { return v }
      fields = taskFields + t.task.settings.map(\.key)
    case .array(let a):
      if name == "shape" { return .list(a.shape.map { .number(Double($0)) }) }
      if name == "size" { return .number(Double(a.values.count)) }
      fields = ["shape", "size"]
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
    throw RuntimeError("a \(base.typeName) has no field '\(name)'", at: at, length: name.count,
                       suggestion: suggestion(for: name, among: fields))
  }

  static let networkFields = ["W_in", "W_rec", "W_out", "b_rec", "b_out", "init_state", "raw_W_in", "raw_W_rec", "raw_W_out",
                              "Dale_rec", "Dale_out", "input_connectivity", "rec_connectivity", "output_connectivity",
                              "N_in", "N_rec", "N_out", "N_steps", "N_batch", "dt", "tau", "alpha", "rec_noise", "dale_ratio",
                              "transfer_function", "loss_function", "losses", "trials", "seed"]

  private static func network(_ n: NetworkValue, _ name: String) -> Value? {
    guard case .basic(let m) = n.model else { return lstm(n, name) }
    let c = m.configuration, k = m.constraints
    func array(_ w: Matrix<Float>) -> Value { .array(ArrayValue(w.converted(to: Double.self))) }
    func vector(_ w: Matrix<Float>) -> Value { .array(ArrayValue(vector: w.storage.map(Double.init))) }
    switch name {
    case "W_in": return array(m.effectiveWeights.W_in)
    case "W_rec": return array(m.effectiveWeights.W_rec)
    case "W_out": return array(m.effectiveWeights.W_out)
    case "raw_W_in": return array(m.variables.W_in)
    case "raw_W_rec": return array(m.variables.W_rec)
    case "raw_W_out": return array(m.variables.W_out)
    case "b_rec": return vector(m.variables.b_rec)
    case "b_out": return vector(m.variables.b_out)
    case "init_state": return array(m.variables.init_state)
    case "Dale_rec": return array(k.daleRec)
    case "Dale_out": return array(k.daleOut)
    case "input_connectivity": return array(k.inputConnectivity)
    case "rec_connectivity": return array(k.recConnectivity)
    case "output_connectivity": return array(k.outputConnectivity)
    case "N_in": return .number(Double(c.nIn))
    case "N_rec": return .number(Double(c.nRec))
    case "N_out": return .number(Double(c.nOut))
    case "N_steps": return .number(Double(c.nSteps))
    case "N_batch": return .number(Double(c.nBatch))
    case "dt": return .number(c.dt)
    case "tau": return .number(c.tau)
    case "alpha": return .number(c.alpha)
    case "rec_noise": return .number(c.recNoise)
    case "dale_ratio": return k.daleRatio.map { .number($0) } ?? Value.none
    case "transfer_function": return .string(c.transferFunction.rawValue)
    case "loss_function": return .string(c.lossFunction.name)
    case "losses": return .array(ArrayValue(vector: m.history.losses.map(\.loss)))
    case "trials": return .number(Double(m.history.trials))
    case "seed": return m.seed.map { .number(Double($0)) } ?? Value.none
    default: return nil
    }
  }

  private static func lstm(_ n: NetworkValue, _ name: String) -> Value? {
    guard case .lstm(let m) = n.model else { return nil }
    let c = m.configuration
    if let v = VariableName(rawValue: name), m.variables.names.contains(v) {
      return .array(ArrayValue(m.variables[v].converted(to: Double.self)))
    }
    switch name {
    case "N_in": return .number(Double(c.nIn))
    case "N_rec": return .number(Double(c.nRec))
    case "N_out": return .number(Double(c.nOut))
    case "N_batch": return .number(Double(c.nBatch))
    case "losses": return .array(ArrayValue(vector: m.history.losses.map(\.loss)))
    case "trials": return .number(Double(m.history.trials))
    case "seed": return m.seed.map { .number(Double($0)) } ?? Value.none
    default: return nil
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
}
