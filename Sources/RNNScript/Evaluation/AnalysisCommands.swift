// Running networks and taking them apart: `batch`, `test`, `accuracy`, `simulate`, `ablate`,
// `restore`. Runs use the network's current ablations; without any, the fast Float model runs,
// with some, the Float64 simulator on the effective weights with the cuts applied.

import Linear
import PsychRNN

enum AnalysisCommands {
  // MARK: batch

  /// `b = batch TASK [trials: K]`: one fresh batch (x, y, mask, params).
  static func batch(_ ctx: inout CommandContext) throws -> Value {
    let t = try ctx.task()
    try ctx.finish()
    let o = try ctx.keyed(["trials"])
    let trials = try o.integer("trials")
    if let n = trials, n < 0 || n > 100_000 { throw o.error("trials", "must be between 0 and 100000") }
    let b = try batchOf(t.task, number: 1, trials: trials, using: &ctx.session.random.trials)
    return .record(batchRecord(b))
  }

  /// A batch as a record: x, y, mask, and `params`, a record of per-trial arrays (numbers) or
  /// lists (text), one entry per trial (`b.params.coherence`).
  static func batchRecord(_ b: TrialBatch) -> Record {
    Record(
      kind: "batch",
      fields: [
        ("x", .array(ArrayValue(b.x))), ("y", .array(ArrayValue(b.y))),
        ("mask", .array(ArrayValue(b.mask))), ("params", .record(parameterRecord(b))),
      ])
  }

  /// The trials' parameters as a record of per-trial arrays (numbers) or lists (text).
  static func parameterRecord(_ b: TrialBatch) -> Record {
    var keys: [String] = []
    for p in b.parameters { for f in p.fields where !keys.contains(f.key) { keys.append(f.key) } }
    let params = keys.map { key -> (name: String, value: Value) in
      let values = b.parameters.map { p in p.fields.first { $0.key == key }?.value }
      if values.allSatisfy({ if case .number? = $0 { true } else { false } }) {
        return (key, .array(ArrayValue(vector: values.map { if case .number(let d)? = $0 { d } else { .nan } })))
      }
      return (
        key,
        .list(
          values.map { v in
            switch v {
            case .number(let d)?: return .number(d)
            case .text(let s)?: return .string(s)
            case nil: return .none
            }
          })
      )
    }
    return Record(kind: "trial parameters", fields: params)
  }

  // MARK: test, accuracy, simulate

  /// Trials to run: a task (a fresh batch), a batch record, or an array x (B, S, N_in).
  static func inputs(_ ctx: inout CommandContext) throws -> (x: Tensor3<Double>, batch: TrialBatch?, task: (any Task)?) {
    let (v, a) = try ctx.value("a task or inputs x (B, S, N_in)")
    switch v {
    case .task(let t):
      let b = try evaluationBatchOf(t.task, using: &ctx.session.random.trials)
      return (b.x, b, t.task)
    case .record(let r):
      guard case .array(let x)? = r["x"], let t = x.tensor else {
        throw RuntimeError("this \(r.kind) has no inputs x", at: a.location, length: a.length)
      }
      return (t, nil, nil)
    case .array(let arr):
      if let t = arr.tensor { return (t, nil, nil) }
      if arr.shape.count == 2 { return (Tensor3(1, arr.shape[0], arr.shape[1], storage: arr.values), nil, nil) }
      throw RuntimeError(
        "inputs must have shape (B, S, N_in) or (S, N_in), got \(Format.shape(arr.shape))", at: a.location, length: a.length)
    default:
      throw RuntimeError("expected a task or inputs x (B, S, N_in), got a \(v.typeName)", at: a.location, length: a.length)
    }
  }

  /// Runs x through a network, with its ablations and recurrent noise.
  static func run(
    _ net: NetworkValue, _ x: Tensor3<Double>, session: Session, at location: SourceLocation, display: Bool = false
  ) throws -> ForwardResult<Double> {
    let c = net.configuration
    guard x.d2 == c.nIn else {
      throw RuntimeError("inputs have \(x.d2) channels but the network has N_in \(c.nIn)", at: location)
    }
    do {
      if display { return try net.model.run(x, ablation: net.ablation, noise: &session.display.noise) }
      return try net.model.run(x, ablation: net.ablation, noise: &session.random.noise)
    } catch {
      throw RuntimeError(error, at: location, length: 1)
    }
  }

  /// `test [NET] TASK|X`: outputs, states and, for a task, the batch and its accuracy.
  static func test(_ ctx: inout CommandContext) throws -> Value {
    let name = try ctx.network()
    let (x, batch, task) = try inputs(&ctx)
    try ctx.finish()
    let r = try run(ctx.networkValue(name), x, session: ctx.session, at: ctx.location)
    var fields: [(name: String, value: Value)] = [
      ("outputs", .array(ArrayValue(r.outputs))), ("states", .array(ArrayValue(r.states))),
    ]
    if let b = batch, let t = task {
      fields.append(("accuracy", .number(try t.accuracy(targets: b.y, outputs: r.outputs, mask: b.mask))))
      fields += [("x", .array(ArrayValue(b.x))), ("y", .array(ArrayValue(b.y))), ("mask", .array(ArrayValue(b.mask)))]
      fields.append(("params", .record(parameterRecord(b))))
    }
    return .record(Record(kind: "test result", fields: fields))
  }

  /// `accuracy [NET] TASK`: the task's accuracy function on a fresh batch.
  static func accuracy(_ ctx: inout CommandContext) throws -> Value {
    let name = try ctx.network()
    let t = try ctx.task()
    try ctx.finish()
    let b = try evaluationBatchOf(t.task, using: &ctx.session.random.trials)
    let r = try run(ctx.networkValue(name), b.x, session: ctx.session, at: ctx.location)
    return .number(try t.task.accuracy(targets: b.y, outputs: r.outputs, mask: b.mask))
  }

  /// `simulate [NET] X|TASK`: the Float64 simulator on the effective weights, with the ablations.
  static func simulate(_ ctx: inout CommandContext) throws -> Value {
    let name = try ctx.network()
    let (x, _, _) = try inputs(&ctx)
    try ctx.finish()
    let net = ctx.networkValue(name)
    let r: ForwardResult<Double>
    do {
      r = try net.model.simulate(x, ablation: net.ablation, noise: &ctx.session.random.noise)
    } catch {
      throw RuntimeError(error, at: ctx.location, length: ctx.name.count)
    }
    return .record(
      Record(kind: "simulation", fields: [("outputs", .array(ArrayValue(r.outputs))), ("states", .array(ArrayValue(r.states)))]))
  }

  // MARK: ablate, restore

  /// What `ablate` cuts.
  static let ablateWords = ["W_rec", "W_in", "W_out", "unit"]

  /// `ablate [NET] W_rec I J | W_in I J | W_out I J | unit I [from: T0] [to: T1]`.
  static func ablate(_ ctx: inout CommandContext) throws -> Value {
    let name = try ctx.network()
    var net = ctx.networkValue(name)
    let what = try ctx.word(ablateWords, what: "what to cut")
    let c = net.configuration
    let cut: Cut
    switch what {
    case "unit": cut = .unit(try position(&ctx, "the unit index", below: c.nRec, "unit"))
    case "W_rec":
      cut = .recurrent(
        to: try position(&ctx, "the receiving unit I", below: c.nRec, "unit"),
        from: try position(&ctx, "the sending unit J", below: c.nRec, "unit"))
    case "W_in":
      cut = .input(
        to: try position(&ctx, "the receiving unit I", below: c.nRec, "unit"),
        from: try position(&ctx, "the input channel J", below: c.nIn, "input"))
    default:
      cut = .output(
        to: try position(&ctx, "the output I", below: c.nOut, "output"),
        from: try position(&ctx, "the sending unit J", below: c.nRec, "unit"))
    }
    try ctx.finish()
    let o = try ctx.keyed(["from", "to"])
    let timed = TimedCut(cut, from: try o.number("from"), to: try o.number("to"))
    do { try net.model.checkAblation(Ablation([timed])) } catch {
      throw RuntimeError(error, at: ctx.location, length: ctx.name.count)
    }
    net.ablation.cuts.append(timed)
    ctx.store(name, net)
    return .text(
      "\(name): cut \(Printer.cut(timed)) (\(net.ablation.cuts.count) cut\(net.ablation.cuts.count == 1 ? "" : "s") in force; restore undoes them)"
    )
  }

  /// The next argument as a position in 0..<limit; out of range is an error at that argument.
  private static func position(_ ctx: inout CommandContext, _ what: String, below limit: Int, _ noun: String) throws -> Int {
    let at = ctx.here
    let i = try ctx.integer(what)
    guard (0..<limit).contains(i) else {
      throw RuntimeError("\(noun) index \(i) is out of range: the network has \(limit) (0 to \(limit - 1))", at: at)
    }
    return i
  }

  /// `restore [NET]`: removes every cut.
  static func restore(_ ctx: inout CommandContext) throws -> Value {
    let name = try ctx.network()
    try ctx.finish()
    var net = ctx.networkValue(name)
    let n = net.ablation.cuts.count
    net.ablation = Ablation()
    ctx.store(name, net)
    return .text("\(name): \(n) cut\(n == 1 ? "" : "s") removed")
  }
}

/// The trials `test`, `accuracy` and `lesion_sweep` score (`Task.evaluationBatch`: a fresh batch,
/// or an array task's held-out trials), after the same memory check as `batchOf`.
func evaluationBatchOf(_ task: any Task, trials: Int? = nil, using rng: inout NumpyRandom) throws -> TrialBatch {
  do {
    return try task.evaluationBatch(trials: trials, using: &rng)
  } catch let e as ConfigurationError {
    throw RuntimeError(e.problem)
  }
}

/// A batch of `task`, after the memory check (`Task.batch`): too many trials is a clear error.
func batchOf(_ task: any Task, number: Int, trials: Int? = nil, using rng: inout NumpyRandom) throws -> TrialBatch {
  do {
    return try task.batch(number: number, trials: trials, using: &rng)
  } catch let e as ConfigurationError {
    throw RuntimeError(e.problem)
  }
}
