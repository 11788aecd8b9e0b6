// `Basic(task, N_rec: 50, …)`: PsychRNN's params dictionary, key by key, into the typed Swift
// configuration, for any model (ModelRegistry.swift). A task given first supplies N_in, N_out, dt,
// tau, N_steps and N_batch (as `task.get_task_params()` does); explicit keys win.

import Linear
import PsychRNN

enum ModelBuilder {
  /// A network of type `M` from PsychRNN's params keys: read from `load_weights_path`, or freshly
  /// initialized from the session's initialization stream.
  static func build<M: Network>(_ type: M.Type, _ a: KeyedArguments, task: TaskValue?, session: Session) throws -> M {
    let file = try weightsFile(a, session: session) ?? weightsRecord(a)
    let config = try configuration(
      a, task: task?.task.timing, fileSizes: file.map { M.sizes(in: $0.contents) } ?? [:], session: session)
    do {
      if let (path, contents) = file { return try M(configuration: config, checkpoint: contents, path: path) }
      let (kind, options) = try initializer(a)
      var model = try M(configuration: config, initializer: kind, options: options, using: &session.random.initialization)
      model.seed = session.random.seed
      return model
    } catch let e as ConfigurationError {
      throw a.error(e)
    }
  }

  /// The file named by `load_weights_path`, read once, if given (initializer keys are refused
  /// with it: the file holds the weights).
  static func weightsFile(_ a: KeyedArguments, session: Session) throws -> (path: String, contents: Checkpoint.Contents)? {
    guard let name = try a.string("load_weights_path") else { return nil }
    for key in ModelKeys.initializer + ["initializer"] where a.has(key) {
      throw a.error(key, "cannot be combined with load_weights_path (the file holds the weights)")
    }
    let path = session.resolve(name)
    return (path, try FileValues.checkpoint(path))
  }

  /// A whole weights dictionary given as keys (`Basic(**get_weights(net), dt: 10, tau: 100)`):
  /// when every key PsychRNN requires of a weights file is there, the keys are read as that file.
  static func weightsRecord(_ a: KeyedArguments) throws -> (path: String, contents: Checkpoint.Contents)? {
    guard Checkpoint.requiredKeys.allSatisfy(a.has) else { return nil }
    let fileKeys = Set(Checkpoint.requiredKeys + ModelKeys.weightsFile + ["dale_ratio", "transfer_function"])
    let fields = a.listed().filter { fileKeys.contains($0.key) }.map { (name: $0.key, value: $0.value) }
    return ("the weights record", try FileValues.checkpoint(fields, at: a.location(of: "W_rec")))
  }

  /// Sizes, dynamics, loss, regularization and train flags. With a weights file, the sizes it fixes
  /// (`fileSizes`) win over the task's and must agree with those given.
  static func configuration(
    _ a: KeyedArguments, task: TaskTiming?, fileSizes sizes: [String: Int], session: Session
  ) throws -> ModelConfiguration {
    func size(_ key: String, _ fromTask: Int?) throws -> Int {
      if let v = try a.integer(key) {
        if let f = sizes[key], f != v { throw a.error(key, "is \(v), but the weights file has \(key) \(f)") }
        return v
      }
      if let v = sizes[key] ?? fromTask { return v }
      if key == "N_steps" || key == "N_batch" { return 1 }
      throw RuntimeError(
        "\(a.owner) needs \(key): pass a task first (\(a.owner)(task, N_rec: 50)) or give \(key)", at: a.location)
    }
    func time(_ key: String, _ fromTask: Double?) throws -> Double {
      if let v = try a.number(key) ?? fromTask { return v }
      throw RuntimeError("\(a.owner) needs \(key): pass a task first or give \(key)", at: a.location)
    }
    var c = ModelConfiguration(
      nIn: try size("N_in", task?.nIn), nRec: try size("N_rec", nil), nOut: try size("N_out", task?.nOut),
      nSteps: try size("N_steps", task?.nSteps), dt: try time("dt", task?.dt), tau: try time("tau", task?.tau),
      nBatch: try size("N_batch", task?.nBatch))
    c.recNoise = try a.number("rec_noise") ?? 0
    if let name = try a.string("transfer_function") {
      guard let f = TransferFunction(name: name) else {
        throw RuntimeError(
          "transfer_function: unknown function '\(name)'", at: a.location(of: "transfer_function"),
          suggestion: suggestion(for: name, among: TransferFunction.allCases.map(\.rawValue)))
      }
      c.transferFunction = f
    }
    if case .function(let f)? = a.value("loss_function") {
      c.lossFunction = .custom(try UserObjectives.loss(f, at: a.location(of: "loss_function"), session: session))
    } else if let name = try a.string("loss_function") {
      guard let f = LossFunction(name: name) else {
        throw RuntimeError(
          "loss_function: unknown loss '\(name)' (or give a function (predictions, y, output_mask))",
          at: a.location(of: "loss_function"),
          suggestion: suggestion(for: name, among: ["mean_squared_error", "binary_cross_entropy"]))
      }
      c.lossFunction = f
    }
    if let v = a.value("custom_regularization") {
      guard case .function(let f) = v else {
        throw a.error("custom_regularization", "expected a function (net, states) returning a number, got a \(v.typeName)")
      }
      c.regularization.custom = try UserObjectives.regularization(
        f, at: a.location(of: "custom_regularization"), session: session)
    }
    c.trainable.W_in = try a.bool("W_in_train") ?? true
    c.trainable.W_rec = try a.bool("W_rec_train") ?? true
    c.trainable.W_out = try a.bool("W_out_train") ?? true
    c.trainable.b_rec = try a.bool("b_rec_train") ?? true
    c.trainable.b_out = try a.bool("b_out_train") ?? true
    c.trainable.init_state = try a.bool("init_state_train") ?? true
    c.regularization.L1_in = try a.number("L1_in") ?? 0
    c.regularization.L1_rec = try a.number("L1_rec") ?? 0
    c.regularization.L1_out = try a.number("L1_out") ?? 0
    c.regularization.L2_in = try a.number("L2_in") ?? 0
    c.regularization.L2_rec = try a.number("L2_rec") ?? 0
    c.regularization.L2_out = try a.number("L2_out") ?? 0
    c.regularization.L2_firing_rate = try a.number("L2_firing_rate") ?? 0
    do { try c.validate() } catch let e as ConfigurationError { throw a.error(e) }
    return c
  }

  /// The initializer kind and options: the model's own initializer keys, overridden by those given
  /// to an `initializer:` value.
  static func initializer(_ a: KeyedArguments) throws -> (InitializerKind?, InitializerOptions) {
    var options = InitializerOptions()
    try apply(a, to: &options)
    var kind: InitializerKind? = nil
    if let specRad = try a.number("spec_rad") { kind = .gaussianSpectralRadius(specRad: specRad) }
    if let v = a.value("initializer") {
      guard case .initializer(let i) = v else {
        throw a.error("initializer", "expected an initializer such as GaussianSpectralRadius(spec_rad: 1.2), got a \(v.typeName)")
      }
      kind = i.kind
      let inner = try KeyedArguments(
        owner: i.kind.name, location: a.location(of: "initializer"), positional: [], positionalKeys: [],
        labelled: i.options, allowed: ModelKeys.initializer)
      try apply(inner, to: &options)
    }
    return (kind, options)
  }

  private static func apply(_ a: KeyedArguments, to o: inout InitializerOptions) throws {
    if let v = try a.bool("autapses") { o.autapses = v }
    if a.has("dale_ratio") { o.daleRatio = try a.number("dale_ratio") }
    if let name = try a.string("which_rand_init") { o.whichRandInit = try randomInit(a, "which_rand_init", name) }
    if let name = try a.string("which_rand_W_rec_init") { o.whichRandWRecInit = try randomInit(a, "which_rand_W_rec_init", name) }
    if let v = try a.number("init_minval") { o.initMinval = v }
    if let v = try a.number("init_maxval") { o.initMaxval = v }
    if let m = try a.matrix("input_connectivity") { o.inputConnectivity = m }
    if let m = try a.matrix("rec_connectivity") { o.recConnectivity = m }
    if let m = try a.matrix("output_connectivity") { o.outputConnectivity = m }
    if let m = try a.matrix("Dale_rec") { o.daleRec = m }
    if let m = try a.matrix("Dale_out") { o.daleOut = m }
    if let m = try a.matrix("W_in") { o.W_in = m }
    if let m = try a.matrix("W_rec") { o.W_rec = m }
    if let m = try a.matrix("W_out") { o.W_out = m }
    if let v = try a.vector("b_rec") { o.b_rec = v }
    if let v = try a.vector("b_out") { o.b_out = v }
    if let v = try a.vector("init_state") { o.initState = v }
  }

  private static func randomInit(_ a: KeyedArguments, _ key: String, _ name: String) throws -> RandomInit {
    guard let r = RandomInit(rawValue: name) else {
      throw RuntimeError(
        "\(key): unknown scheme '\(name)'", at: a.location(of: key),
        suggestion: suggestion(for: name, among: RandomInit.allCases.map(\.rawValue)))
    }
    return r
  }
}

extension KeyedArguments {
  /// Where `key`'s argument was written (the call itself when it was not given).
  func location(of key: String) -> SourceLocation { entries[key]?.location ?? location }
}
