// A task written in the language: PsychRNN's two methods as `def` functions, given to
// `Task(N_in: …, trial_params: f, trial_function: g)`.
//
//   trial_params(batch, trial)      → a record of the trial's parameters (PsychRNN's
//                                     generate_trial_params; random functions draw here)
//   trial_function(t, params)       → {x: S × N_in, y: S × N_out, mask: S × N_out}, for the
//                                     whole time axis t = [0, dt, …, (S−1)·dt] at once
//   accuracy_function(y, output, mask) → a number (optional; else PsychRNN's shared rule)
//
// Each function may take one more parameter, `task`: a record of N_in, N_out, dt, tau, T, alpha,
// N_steps and N_batch (PsychRNN's `self`). The generator calls them trial by trial in PsychRNN's
// order, so their random draws come in the order the Python task's do.
//
// The functions run in a session of their own (`Session.worker()`: the variables as they were
// when the task was made), one call at a time (a lock): batches are drawn on the prefetch
// thread while the prompt's session runs `train`, and `accuracy` may be asked on the main
// thread meanwhile.

import Foundation
import Linear
import PsychRNN

/// The functions of a user task and the session they run in.
final class ScriptTaskRuntime: @unchecked Sendable {
  let trialParams: FunctionValue
  let trialFunction: FunctionValue
  let accuracyFunction: FunctionValue?
  /// Where each function was given (the `Task(…)` argument), for the call chain of an error.
  let locations: (params: SourceLocation, trial: SourceLocation, accuracy: SourceLocation)
  /// Guards `session`: one function call at a time, from whichever thread.
  private let lock = NSRecursiveLock()
  private let session: Session

  init(
    trialParams: FunctionValue, trialFunction: FunctionValue, accuracyFunction: FunctionValue?,
    locations: (params: SourceLocation, trial: SourceLocation, accuracy: SourceLocation), session: Session
  ) {
    self.trialParams = trialParams
    self.trialFunction = trialFunction
    self.accuracyFunction = accuracyFunction
    self.locations = locations
    self.session = session
  }

  /// Calls `f` with `arguments` (and the task record when `f` takes one more), drawing from `rng`.
  func call(
    _ f: FunctionValue, _ arguments: [Value], task: @autoclosure () -> Value, at: SourceLocation,
    using rng: inout NumpyRandom
  ) throws -> Value {
    lock.lock()
    defer { lock.unlock() }
    var given = arguments
    if f.parameterNames.count > arguments.count { given.append(task()) }
    return try withUnsafeMutablePointer(to: &rng) { p in
      let saved = session.trialStream
      session.trialStream = p
      defer { session.trialStream = saved }
      return try session.callFunction(f, values: given, at: at)
    }
  }
}

/// One trial's parameters: the record `trial_params` returned.
struct ScriptTrialParameters: TrialParameters {
  let record: Record

  /// The numbers (and booleans, as 0/1) and strings among the fields, for `b.params` and
  /// analyses; lists and arrays stay in `record` for the trial function.
  var fields: [(key: String, value: ParameterValue)] {
    record.fields.compactMap { f in
      switch f.value {
      case .number(let d): return (f.name, .number(d))
      case .bool(let b): return (f.name, .number(b ? 1 : 0))
      case .string(let s): return (f.name, .text(s))
      default: return nil
      }
    }
  }
}

/// A task whose trials come from language functions.
struct ScriptTask: Task {
  let name: String
  let timing: TaskTiming
  let runtime: ScriptTaskRuntime
  /// The trial's time axis, [0, dt, …, (S−1)·dt].
  let times: ArrayValue
  /// PsychRNN's `self` for the functions that ask for it: N_in, N_out, dt, tau, T, alpha, N_steps,
  /// N_batch.
  let taskRecord: Value

  init(name: String, timing: TaskTiming, runtime: ScriptTaskRuntime) {
    self.name = name
    self.timing = timing
    self.runtime = runtime
    times = ArrayValue(vector: (0..<timing.nSteps).map { Double($0) * timing.dt })
    let t = timing
    taskRecord = .record(
      Record(
        kind: "task",
        fields: [
          ("N_in", .number(Double(t.nIn))), ("N_out", .number(Double(t.nOut))), ("dt", .number(t.dt)),
          ("tau", .number(t.tau)), ("T", .number(t.duration)), ("alpha", .number(t.alpha)),
          ("N_steps", .number(Double(t.nSteps))), ("N_batch", .number(Double(t.nBatch))),
        ]))
  }

  var settings: [(key: String, value: ParameterValue?)] {
    [
      ("trial_params", .text(runtime.trialParams.name)), ("trial_function", .text(runtime.trialFunction.name)),
      ("accuracy_function", runtime.accuracyFunction.map { .text($0.name) }),
    ]
  }

  func trialParameters(batch: Int, trial: Int, using rng: inout NumpyRandom) throws -> any TrialParameters {
    let f = runtime.trialParams
    let v = try runtime.call(
      f, [.number(Double(batch)), .number(Double(trial))], task: taskRecord, at: runtime.locations.params, using: &rng)
    guard case .record(let r) = v else {
      throw RuntimeError(
        "trial_params \(f.name) must return a record of the trial's parameters, e.g. {coherence: 0.2}, got a \(v.typeName)",
        at: runtime.locations.params, length: f.name.count)
    }
    return ScriptTrialParameters(record: r)
  }

  func writeTrial(_ parameters: any TrialParameters, into trial: inout TrialArrays, using rng: inout NumpyRandom) throws {
    let f = runtime.trialFunction, at = runtime.locations.trial
    let p = (parameters as? ScriptTrialParameters)?.record ?? Record(kind: "record", fields: [])
    let v = try runtime.call(f, [.array(times), .record(p)], task: taskRecord, at: at, using: &rng)
    guard case .record(let r) = v else {
      throw RuntimeError(
        "trial_function \(f.name) must return a record {x: …, y: …, mask: …}, got a \(v.typeName)", at: at, length: f.name.count)
    }
    for field in r.fields where field.name != "x" && field.name != "y" && field.name != "mask" {
      throw RuntimeError(
        "trial_function \(f.name) returned an unknown field '\(field.name)' (it returns x, y and mask)", at: at,
        length: f.name.count, suggestion: suggestion(for: field.name, among: ["x", "y", "mask"]))
    }
    func channels(_ key: String, _ count: Int, default fill: Double?) throws -> [Double] {
      let steps = timing.nSteps
      guard let value = r[key] else {
        if let fill { return [Double](repeating: fill, count: steps * count) }
        throw RuntimeError("trial_function \(f.name) must return \(key) (N_steps × \(count))", at: at, length: f.name.count)
      }
      guard let a = try value.asArray(at: at) else {
        throw RuntimeError(
          "trial_function \(f.name): \(key) must be an array, got a \(value.typeName)", at: at, length: f.name.count)
      }
      if a.values.count == steps * count && (a.shape == [steps, count] || (count == 1 && a.shape == [steps])) {
        return a.values
      }
      if a.shape == [steps, 1] {
        // One column for every channel (a mask shared by the outputs): each step's value repeated.
        var values: [Double] = []
        values.reserveCapacity(steps * count)
        for v in a.values { for _ in 0..<count { values.append(v) } }
        return values
      }
      let shaped = a.shape == [steps] && count == 1 ? ArrayValue(shape: [steps, 1], values: a.values) : a
      do {
        return try ArrayOps.broadcast(shaped, to: [steps, count]).values
      } catch {
        throw RuntimeError(
          "trial_function \(f.name): \(key) has shape \(Format.shape(a.shape)); it must be N_steps × \(key == "x" ? "N_in" : "N_out") = \(Format.shape([steps, count]))",
          at: at, length: f.name.count)
      }
    }
    trial.x = try channels("x", timing.nIn, default: nil)
    trial.y = try channels("y", timing.nOut, default: nil)
    trial.mask = try channels("mask", timing.nOut, default: 1)
  }

  func accuracy(targets y: Tensor3<Double>, outputs: Tensor3<Double>, mask: Tensor3<Double>) throws -> Double {
    guard let f = runtime.accuracyFunction else { return MaskedChoice.accuracy(targets: y, outputs: outputs, mask: mask) }
    var unused = NumpyRandom(seed: 0)
    let at = runtime.locations.accuracy
    let v = try runtime.call(
      f, [.array(ArrayValue(y)), .array(ArrayValue(outputs)), .array(ArrayValue(mask))], task: taskRecord, at: at,
      using: &unused)
    guard let d = v.scalarIfZeroD.numeric else {
      throw RuntimeError(
        "accuracy_function \(f.name) must return a number (the fraction correct), got a \(v.typeName)", at: at,
        length: f.name.count)
    }
    return d
  }
}
