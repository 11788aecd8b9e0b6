// `train [NET] TASK|CURRICULUM [train params]`: PsychRNN's train() with its keys, progress
// through the session's hook, Ctrl-C through its cancellation flag. The network (and a
// curriculum's stage) are written back even when training stops early or diverges.

import Linear
import NumpyFormat
import PsychRNN

enum TrainCommand {
  static let keys = [
    "learning_rate", "training_iters", "loss_epoch", "verbosity", "save_weights_path",
    "save_training_weights_epoch", "training_weights_path", "curriculum", "optimizer", "clip_grads",
    "fixed_weights", "performance_measure", "performance_cutoff",
  ]

  static func run(_ ctx: inout CommandContext) throws -> Value {
    let netName = try ctx.network()
    var net = ctx.networkValue(netName)
    let options = try ctx.keyed(keys)
    var curriculumVariable: String? = nil
    var source: TrainingSource
    var task: (any Task)?
    if let c = options.value("curriculum") {
      guard case .curriculum(let cur) = c else { throw options.error("curriculum", "expected a Curriculum, got a \(c.typeName)") }
      source = .curriculum(cur)
      task = cur.currentTask
      curriculumVariable = options.word("curriculum")
    } else {
      let (v, a) = try ctx.value("a task or a curriculum to train on")
      switch v {
      case .task(let t): source = .task(t.task); task = t.task
      case .curriculum(let c): source = .curriculum(c); task = c.currentTask; curriculumVariable = a.word
      default: throw RuntimeError("train needs a task or a Curriculum, got a \(v.typeName)", at: a.location, length: a.length)
      }
    }
    try ctx.finish()
    net.trainedOn = task
    let train = try trainingOptions(options, session: ctx.session, task: task)
    let session = ctx.session
    var thrown: Error? = nil
    var result: TrainingResult? = nil
    // Local copies: two simultaneous inout accesses into the session's one `random` property
    // would violate exclusivity.
    var streams = session.random
    let verbose = train.verbosity
    do {
      let onEvent: (TrainingEvent) -> Void = { event in
        switch event {
        case .finished, .weightsSaved, .metricValuesSaved: session.onTrainingEvent(netName, event)
        default: if verbose { session.onTrainingEvent(netName, event) }
        }
      }
      result = try net.model.train(
        &source, options: train, trials: &streams.trials, noise: &streams.noise,
        isCancelled: session.isCancelled, onEvent: onEvent)
    } catch {
      thrown = error
    }
    session.random = streams
    ctx.store(netName, net)
    if let name = curriculumVariable, case .curriculum(let c) = source { session.define(name, .curriculum(c)) }
    if let e = thrown {
      if let c = e as? ConfigurationError, options.has(c.key) { throw options.error(c) }
      throw RuntimeError(e, at: ctx.location, length: ctx.name.count)
    }
    if let r = result, r.stopReason == .cancelled { session.cancelledTrainingTrials = r.trials }
    return .record(report(result!))
  }

  /// PsychRNN's train_params, typed.
  static func trainingOptions(_ a: KeyedArguments, session: Session, task: (any Task)?) throws -> TrainingOptions {
    var o = TrainingOptions()
    if let v = try a.number("learning_rate") { o.learningRate = v }
    if let v = try a.integer("training_iters") { o.trainingIters = v }
    if let v = try a.integer("loss_epoch") { o.lossEpoch = v }
    if let v = try a.bool("verbosity") { o.verbosity = v }
    if let v = try a.string("save_weights_path") { o.saveWeightsPath = session.resolve(v) }
    if let v = try a.integer("save_training_weights_epoch") { o.saveTrainingWeightsEpoch = v }
    if let v = try a.string("training_weights_path") { o.trainingWeightsPath = session.resolve(v) }
    if let v = try a.bool("clip_grads") { o.clipGrads = v }
    if let name = try a.string("optimizer") {
      switch name.lowercased() {
      case "adam": o.optimizer = .adam()
      case "sgd": o.optimizer = .sgd
      case "momentum": o.optimizer = .momentum()
      default:
        throw RuntimeError(
          "optimizer: unknown optimizer '\(name)'", at: a.location(of: "optimizer"),
          suggestion: suggestion(for: name, among: ["adam", "sgd", "momentum"]))
      }
    }
    if let v = a.value("fixed_weights") { o.fixedWeights = try fixedWeights(v, a) }
    switch a.value("performance_measure") {
    case nil: break
    case .string("accuracy")?:
      guard let task else { throw a.error("performance_measure", "needs a task") }
      o.performanceMeasure = { batch, outputs, _, _ in try task.accuracy(targets: batch.y, outputs: outputs, mask: batch.mask) }
    case .function(let f)?:
      o.performanceMeasure = try userMeasure(f, a, session: session)
    case let v?:
      throw a.error(
        "performance_measure", "expected \"accuracy\" or a function (batch, outputs, epoch, losses), got a \(v.typeName)")
    }
    if let v = try a.number("performance_cutoff") { o.performanceCutoff = v }
    do { try o.validate() } catch let e as ConfigurationError { throw a.error(e) }
    return o
  }

  /// A `def` function as the performance measure, called after each batch on a fresh batch with
  /// PsychRNN's seven arguments `(x, y, mask, output, epoch, losses, verbosity)`, or with ours,
  /// `(batch, outputs, epoch, losses)` (the batch as a record of x, y, mask and params), or their
  /// first few. It runs on this thread between batches; an error inside stops training there and
  /// is reported at its line.
  private static func userMeasure(_ f: FunctionValue, _ a: KeyedArguments, session: Session) throws -> PerformanceMeasure {
    let arity = f.parameterNames.count
    guard (1...4).contains(arity) || arity == 7 else {
      throw a.error(
        "performance_measure",
        "a measure takes PsychRNN's (x, y, mask, output, epoch, losses, verbosity), or (batch, outputs, epoch, losses) or the first of them; \(f.name) takes \(arity)"
      )
    }
    let box = SessionBox(session)
    let at = a.location(of: "performance_measure")
    let verbosity = try a.bool("verbosity") ?? false
    return { batch, outputs, epoch, losses in
      let arguments: [Value] =
        arity == 7
        ? [
          .array(ArrayValue(batch.x)), .array(ArrayValue(batch.y)), .array(ArrayValue(batch.mask)),
          .array(ArrayValue(outputs)), .number(Double(epoch)), .array(ArrayValue(vector: losses)), .bool(verbosity),
        ]
        : Array(
          [
            .record(AnalysisCommands.batchRecord(batch)), .array(ArrayValue(outputs)), .number(Double(epoch)),
            .array(ArrayValue(vector: losses)),
          ].prefix(arity))
      let v = try box.session.callFunction(f, values: arguments, at: at)
      return try box.session.number(v, returnedBy: f, as: "performance_measure", at: at)
    }
  }

  /// `fixed_weights`: a record (e.g. `load("frozen.npz")`) of 0/1 arrays keyed by variable name.
  private static func fixedWeights(_ v: Value, _ a: KeyedArguments) throws -> FixedWeights {
    guard case .record(let r) = v else {
      throw a.error("fixed_weights", "expected a record of masks by variable name, e.g. load(\"frozen.npz\")")
    }
    var masks: [VariableName: Matrix<Double>] = [:]
    for field in r.fields {
      guard let name = VariableName(rawValue: field.name) else {
        throw a.error(
          "fixed_weights",
          "'\(field.name)' is not a variable (\((VariableName.allCases + VariableName.lstm).map(\.rawValue).joined(separator: ", ")))"
        )
      }
      guard case .array(let arr) = field.value, let m = arr.matrix else {
        throw a.error("fixed_weights", "'\(field.name)' must be an array")
      }
      masks[name] = m
    }
    return FixedWeights(masks)
  }

  /// What `train` returns.
  static func report(_ r: TrainingResult) -> Record {
    let reason: String
    switch r.stopReason {
    case .completed: reason = "completed"
    case .cancelled: reason = "cancelled"
    case .performanceReached: reason = "performance_cutoff reached"
    case .curriculumFinished: reason = "curriculum finished"
    }
    return Record(
      kind: "training",
      fields: [
        ("losses", .array(ArrayValue(vector: r.losses))), ("trials", .number(Double(r.trials))),
        ("steps", .number(Double(r.steps))),
        ("training_time", .number(r.trainingTime)), ("initialization_time", .number(r.initializationTime)),
        ("stop_reason", .string(reason)),
      ])
  }
}
