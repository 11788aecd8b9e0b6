// `Task(…)`: a task of the user's own, from language functions (ScriptTask.swift) or from arrays
// of trials made by another tool (PsychRNN/Tasks/ArrayTask.swift).

import Linear
import PsychRNN

extension Constructors {
  static let functionKeys = ["trial_params", "trial_function", "accuracy_function"]
  static let arrayKeys = ["x", "y", "mask", "holdout"]
  static let userTaskKeys = ["N_in", "N_out"] + taskKeys + functionKeys + arrayKeys + ["name"]

  static let userTask = Constructor(
    name: "Task", positional: [], keys: userTaskKeys,
    summary: "a task of your own: trial_params and trial_function written with def (or trials given as arrays x, y, mask)",
    example: "task = Task(N_in: 2, N_out: 2, dt: 10, tau: 100, T: 2000, N_batch: 128, trial_params: p, trial_function: f)"
  ) { a, _, session in
    if a.has("x") || a.has("y") { return try arrayTask(a, session: session) }
    for key in ["N_in", "N_out"] + taskKeys + ["trial_params", "trial_function"] where !a.has(key) {
      throw RuntimeError(
        "Task needs \(key): give N_in, N_out, dt, tau, T, N_batch, trial_params and trial_function (or x, y and mask arrays)",
        at: a.location, length: 4)
    }
    for key in ["mask", "holdout"] where a.has(key) {
      throw a.error(key, "belongs to a task made from arrays (x:, y:, mask:); this one has trial functions")
    }
    let timing = try TaskTiming(
      nIn: try a.integer("N_in")!, nOut: try a.integer("N_out")!, dt: try a.number("dt")!, tau: try a.number("tau")!,
      duration: try a.number("T")!, nBatch: try a.integer("N_batch")!)
    func function(_ key: String, arities: ClosedRange<Int>, _ signature: String) throws -> FunctionValue? {
      guard let v = a.value(key) else { return nil }
      guard case .function(let f) = v else {
        throw a.error(key, "expected a function defined with def, \(signature), got a \(v.typeName)")
      }
      guard arities.contains(f.parameterNames.count) else {
        throw a.error(key, "\(f.name) takes \(f.parameterNames.count) parameters; it must take \(signature)")
      }
      return f
    }
    let runtime = ScriptTaskRuntime(
      trialParams: try function("trial_params", arities: 2...3, "(batch, trial) or (batch, trial, task)")!,
      trialFunction: try function("trial_function", arities: 2...3, "(t, params) or (t, params, task)")!,
      accuracyFunction: try function("accuracy_function", arities: 3...4, "(y, output, mask) or (y, output, mask, task)"),
      locations: (a.location(of: "trial_params"), a.location(of: "trial_function"), a.location(of: "accuracy_function")),
      session: session.worker())
    let task = ScriptTask(name: try a.string("name") ?? "Task", timing: timing, runtime: runtime)
    return .task(TaskValue(task: task, arguments: a.listed()))
  }

  /// `Task(x: X, y: Y, mask: M, dt: …, tau: …, N_batch: …, holdout: 0.1)`.
  private static func arrayTask(_ a: KeyedArguments, session: Session) throws -> Value {
    for key in ["x", "y", "dt", "tau", "N_batch"] where !a.has(key) {
      throw RuntimeError(
        "Task from arrays needs \(key): give x, y (and mask), dt, tau and N_batch", at: a.location, length: 4)
    }
    for key in functionKeys + ["N_in", "N_out", "T"] where a.has(key) {
      throw a.error(key, "does not apply to a task made from arrays (sizes and T come from x and y's shapes)")
    }
    func trials(_ key: String) throws -> Tensor3<Double>? {
      guard let v = a.value(key) else { return nil }
      guard let x = try v.asArray(at: a.location(of: key)) else {
        throw a.error(key, "expected an array (trials × steps × channels), got a \(v.typeName)")
      }
      guard let t = x.tensor else {
        throw a.error(
          key, "expected trials × steps × channels (3 axes, as PsychRNN's batches), got shape \(Format.shape(x.shape))")
      }
      return t
    }
    var rng = session.random.trials
    let task = try ArrayTask(
      name: try a.string("name") ?? "Task", x: try trials("x")!, y: try trials("y")!, mask: try trials("mask"),
      dt: try a.number("dt")!, tau: try a.number("tau")!, nBatch: try a.integer("N_batch")!,
      holdout: try a.number("holdout") ?? 0, using: &rng)
    session.random.trials = rng
    return .task(TaskValue(task: task, arguments: a.listed().filter { !["x", "y", "mask"].contains($0.key) }))
  }
}
