// psychrnn-bench: release-mode training benchmark.
//
//   swift run -c release psychrnn-bench [--json] [--configs pd50,pd256,dd100] [--batches 20]
//                                       [--threads 1] [--max-trials 200000] [--seed 7] [--repeats 3] [--one-core]
//
// For each configuration: the median milliseconds per training batch (one Adam step on a fresh
// batch, PsychRNN's default train options) over `--batches` batches after two warm-up batches,
// the whole `train` call's wall time divided by its batches (with PsychRNN's loss_epoch 10, and
// again with no loss recording, so the cost of recording shows; medians of `--repeats` alternating
// runs of each),
// then the trials and seconds a fresh network needs to reach 90% accuracy on a fresh batch
// (checked every 10 batches; null when not reached within `--max-trials`).
// Configurations: pd50, pd50script, pd50dale, pd256, dd100 (Basic) and lstm50 (an LSTM; not in the default list).
// By default training uses the second core for drawing the next batch and for the backward pass's
// weight-gradient products (BLAS itself stays on one thread); `--one-core` turns both off.
// `--gemm` instead times the per-step products alone at each configuration's N_rec (GemmFloor.swift);
// `--interpreter` times the `.rnn` interpreter (InterpreterBench.swift); `--generation` times drawing
// the configurations' batches alone (UserTaskBench.swift; pd50script is PerceptualDiscrimination
// written in the language, bench/user_tasks.rnn); `--fixed-points` the fixed-point search of a saved
// network (FixedPointBench.swift); `--custom-loss` a loss written in the
// language against the built-in (CustomLossBench.swift).

import Foundation
import Linear
import PsychRNN

struct BenchConfig: Sendable {
  let name: String
  let nRec: Int
  var daleRatio: Double? = nil
  /// An LSTM instead of a Basic CTRNN.
  var lstm = false
  let makeTask: @Sendable () throws -> any Task

  /// Runs `body` on a fresh network of this configuration, seeded by `seed`. The model's concrete
  /// type is known here, so the library's Float-specialized code runs: `train` (a protocol extension)
  /// finds it from generic code too, but a protocol requirement such as `forward` called from
  /// generic code in another module would run the library's unspecialized code, so `outputs` is
  /// written here, where the type is known.
  func run<Body: BenchBody>(_ body: Body, seed: UInt32) throws -> Body.Result {
    let task = try makeTask()
    var streams = RandomStreams(seed: seed)
    let configuration = ModelConfiguration(task: task.timing, nRec: nRec)
    if lstm {
      var model = try LSTM<Float>(configuration: configuration, using: &streams.initialization)
      return try body.run(
        &model, task: task, streams: &streams, outputs: { m, x in try m.forward(x.converted()).outputs.converted() })
    }
    var options = InitializerOptions()
    options.daleRatio = daleRatio
    var model = try Basic<Float>(configuration: configuration, options: options, using: &streams.initialization)
    return try body.run(
      &model, task: task, streams: &streams, outputs: { m, x in try m.forward(x.converted()).outputs.converted() })
  }
}

/// One measurement, written once for every kind of model. `outputs` runs the model on trials x.
protocol BenchBody {
  associatedtype Result
  func run<Model: RecurrentModel>(
    _ model: inout Model, task: any Task, streams: inout RandomStreams,
    outputs: (Model, Tensor3<Double>) throws -> Tensor3<Double>
  ) throws -> Result
  where Model.Scalar == Float
}

func benchmarkConfigs() -> [BenchConfig] {
  [
    BenchConfig(name: "pd50", nRec: 50) { try PerceptualDiscrimination(dt: 10, tau: 100, duration: 2000, nBatch: 128) },
    BenchConfig(name: "pd50script", nRec: 50) { try scriptPerceptualDiscrimination() },
    BenchConfig(name: "pd50dale", nRec: 50, daleRatio: 0.8) {
      try PerceptualDiscrimination(dt: 10, tau: 100, duration: 2000, nBatch: 128)
    },
    BenchConfig(name: "pd256", nRec: 256) { try PerceptualDiscrimination(dt: 10, tau: 100, duration: 2000, nBatch: 128) },
    BenchConfig(name: "dd100", nRec: 100) { try DelayedDiscrimination(dt: 10, tau: 100, duration: 2000, nBatch: 128) },
    BenchConfig(name: "lstm50", nRec: 50, lstm: true) {
      try PerceptualDiscrimination(dt: 10, tau: 100, duration: 2000, nBatch: 128)
    },
  ]
}

/// Writes one line to standard output immediately (unbuffered, so progress shows in pipes too).
func emit(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

struct Arguments {
  var json = false
  var configs = ["pd50", "pd256", "dd100"]
  var batches = 20
  var threads = 1
  var maxTrials = 200_000
  var seed: UInt32 = 7
  var curve = false
  var oneCore = false
  var gemm = false
  var repeats = 3
  var interpreter = false
  var generation = false
  var fixedPoints: FixedPointBench? = nil
  var customLoss = false

  init(_ argv: [String]) throws {
    var it = argv.dropFirst().makeIterator()
    while let a = it.next() {
      func value() throws -> String {
        guard let v = it.next() else { throw BenchError.usage("\(a) needs a value") }
        return v
      }
      switch a {
      case "--json": json = true
      case "--curve": curve = true
      case "--one-core": oneCore = true
      case "--gemm": gemm = true
      case "--interpreter": interpreter = true
      case "--generation": generation = true
      case "--fixed-points": fixedPoints = fixedPoints ?? FixedPointBench(); fixedPoints!.weights = try value()
      case "--inits": fixedPoints = fixedPoints ?? FixedPointBench(); fixedPoints!.inits = try value()
      case "--input":
        fixedPoints = fixedPoints ?? FixedPointBench();
        fixedPoints!.input = try value().split(separator: ",").compactMap { Double($0) }
      case "--dt": fixedPoints = fixedPoints ?? FixedPointBench(); fixedPoints!.dt = Double(try value()) ?? 10
      case "--tau": fixedPoints = fixedPoints ?? FixedPointBench(); fixedPoints!.tau = Double(try value()) ?? 100
      case "--out": fixedPoints = fixedPoints ?? FixedPointBench(); fixedPoints!.out = try value()
      case "--custom-loss": customLoss = true
      case "--configs": configs = try value().split(separator: ",").map(String.init)
      case "--batches": batches = Int(try value()) ?? batches
      case "--threads": threads = Int(try value()) ?? threads
      case "--max-trials": maxTrials = Int(try value()) ?? maxTrials
      case "--seed": seed = UInt32(try value()) ?? seed
      case "--repeats": repeats = max(1, Int(try value()) ?? repeats)
      case "-h", "--help":
        emit(
          "usage: psychrnn-bench [--json] [--configs pd50,pd50script,pd50dale,pd256,dd100,lstm50] [--curve] [--batches N] [--threads N] [--max-trials N] [--seed N] [--repeats N] [--one-core] [--gemm] [--interpreter] [--generation] [--custom-loss] | --fixed-points W.npz --inits X.npy [--input 0,0] [--dt 10] [--tau 100] [--out found.npz]"
        )
        exit(0)
      default: throw BenchError.usage("unknown argument \(a)")
      }
    }
    let known = Set(benchmarkConfigs().map(\.name))
    if let bad = configs.first(where: { !known.contains($0) }) {
      throw BenchError.usage("unknown configuration \(bad); known: \(benchmarkConfigs().map(\.name).joined(separator: ", "))")
    }
  }
}

extension Arguments {
  /// Cores training uses: 1 with `--one-core` or where the process may use only one (affinity,
  /// cgroup quota: training then keeps to one thread by itself), else 2.
  var cores: Int { oneCore ? 1 : min(2, CoreCount.available()) }
}

enum BenchError: Error { case usage(String) }

/// PsychRNN's default train options, with or without the second core.
func defaultOptions(oneCore: Bool) -> TrainingOptions {
  var options = TrainingOptions()
  options.prefetchBatches = !oneCore
  options.parallelWeightGradients = !oneCore
  return options
}

func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }

func median(_ xs: [Double]) -> Double {
  let s = xs.sorted()
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Milliseconds per training batch from one `train` call over warm-up + `batches` batches: the
/// median time between consecutive per-batch events (batch generation, forward, backward and Adam
/// step), and the whole call's wall time divided by its batches, so that what happens outside the
/// steps (the probe batch, recording the loss every `loss_epoch` batches, setup) shows too.
struct MsPerBatch: BenchBody {
  let batches: Int
  let oneCore: Bool
  /// PsychRNN's default (10), or nil for no loss recording at all.
  var lossEpoch: Int? = 10

  func run<Model: RecurrentModel>(
    _ model: inout Model, task: any Task, streams: inout RandomStreams,
    outputs: (Model, Tensor3<Double>) throws -> Tensor3<Double>
  ) throws
    -> (median: Double, whole: Double) where Model.Scalar == Float
  {
    var source = TrainingSource.task(task)
    var options = defaultOptions(oneCore: oneCore)
    options.trainingIters = (batches + 2) * task.timing.nBatch
    options.lossEpoch = lossEpoch ?? Int.max
    let clock = ContinuousClock()
    var last = clock.now
    var times: [Double] = []
    let start = clock.now
    let r = try model.train(
      &source, options: options, trials: &streams.trials, noise: &streams.noise,
      onEvent: { event in
        switch event {
        case .started: last = clock.now
        case .step(let p):
          let now = clock.now
          if p.epoch > 2 { times.append(seconds(now - last) * 1000) }
          last = now
        default: break
        }
      })
    return (median(times), seconds(clock.now - start) * 1000 / Double(max(1, r.steps)))
  }
}

/// Trials and seconds until accuracy on a fresh batch reaches 0.9 (checked every 10 batches).
struct TimeTo90: BenchBody {
  let maxTrials: Int
  let oneCore: Bool

  func run<Model: RecurrentModel>(
    _ model: inout Model, task: any Task, streams: inout RandomStreams,
    outputs: (Model, Tensor3<Double>) throws -> Tensor3<Double>
  ) throws
    -> (trials: Int, seconds: Double)? where Model.Scalar == Float
  {
    var source = TrainingSource.task(task)
    var options = defaultOptions(oneCore: oneCore)
    options.trainingIters = 10 * task.timing.nBatch
    options.lossEpoch = 1_000_000
    let clock = ContinuousClock(), start = clock.now
    var trials = 0
    while trials < maxTrials {
      let r = try model.train(&source, options: options, trials: &streams.trials, noise: &streams.noise)
      trials += r.trials
      let check = try task.makeBatch(number: 1, using: &streams.trials)
      let out = try outputs(model, check.x)
      if try task.accuracy(targets: check.y, outputs: out, mask: check.mask) >= 0.9 {
        return (trials, seconds(clock.now - start))
      }
    }
    return nil
  }
}

/// Prints the loss and training-batch accuracy every 10 batches of one `train` call of `maxTrials`.
struct LearningCurve: BenchBody {
  let name: String
  let maxTrials: Int
  let seed: UInt32
  let oneCore: Bool

  func run<Model: RecurrentModel>(
    _ model: inout Model, task: any Task, streams: inout RandomStreams,
    outputs: (Model, Tensor3<Double>) throws -> Tensor3<Double>
  ) throws
  where Model.Scalar == Float {
    var source = TrainingSource.task(task)
    var options = defaultOptions(oneCore: oneCore)
    options.trainingIters = maxTrials
    _ = try model.train(
      &source, options: options, trials: &streams.trials, noise: &streams.noise,
      onEvent: { event in
        if case .loss(let p) = event {
          emit(
            String(
              format: "%@ seed %d  trials %7d  loss %.5f  accuracy %.3f", name, seed, p.trials, p.loss ?? .nan, p.accuracy ?? .nan
            ))
        }
      })
  }
}

Allocator.keepFreedMemory()  // as the psychrnn tool sets it (PsychRNNTool/main.swift)

do {
  let args = try Arguments(CommandLine.arguments)
  BLAS.setThreadCount(args.threads)
  if let fp = args.fixedPoints {
    try fp.run(repeats: args.repeats, json: args.json)
    exit(0)
  }
  if args.interpreter {
    try reportInterpreter(repeats: max(args.repeats, 5), json: args.json)
    exit(0)
  }
  if args.generation {
    try reportGeneration(
      configs: args.configs.map { name in benchmarkConfigs().first { $0.name == name }! }, batches: max(args.batches, 20),
      json: args.json)
    exit(0)
  }
  if args.customLoss {
    try reportCustomLoss(batches: args.batches, repeats: args.repeats, json: args.json)
    exit(0)
  }
  if args.gemm {
    for name in args.configs { reportGemmFloor(nRec: benchmarkConfigs().first { $0.name == name }!.nRec) }
    exit(0)
  }
  if args.curve {
    for name in args.configs {
      try benchmarkConfigs().first { $0.name == name }!.run(
        LearningCurve(name: name, maxTrials: args.maxTrials, seed: args.seed, oneCore: args.oneCore), seed: args.seed)
    }
    exit(0)
  }
  for name in args.configs {
    let config = benchmarkConfigs().first { $0.name == name }!
    // Alternating runs with and without loss recording, `--repeats` of each; medians of each figure.
    var runs: [(median: Double, whole: Double)] = [], quietRuns: [(median: Double, whole: Double)] = []
    for _ in 0..<args.repeats {
      runs.append(try config.run(MsPerBatch(batches: args.batches, oneCore: args.oneCore), seed: 1))
      quietRuns.append(try config.run(MsPerBatch(batches: args.batches, oneCore: args.oneCore, lossEpoch: nil), seed: 1))
    }
    let ms = (median: median(runs.map(\.median)), whole: median(runs.map(\.whole)))
    let quiet = (median: median(quietRuns.map(\.median)), whole: median(quietRuns.map(\.whole)))
    let reach = try config.run(TimeTo90(maxTrials: args.maxTrials, oneCore: args.oneCore), seed: args.seed)
    if args.json {
      let trials = reach.map { "\($0.trials)" } ?? "null"
      let secs = reach.map { String(format: "%.2f", $0.seconds) } ?? "null"
      emit(
        "{\"config\": \"\(name)\", \"ms_per_batch\": \(String(format: "%.2f", ms.median)), "
          + "\"whole_call_ms_per_batch\": \(String(format: "%.2f", ms.whole)), "
          + "\"whole_call_ms_per_batch_no_loss_epoch\": \(String(format: "%.2f", quiet.whole)), "
          + "\"trials_to_90\": \(trials), \"seconds_to_90\": \(secs), \"n_rec\": \(config.nRec), "
          + "\"blas_threads\": \(args.threads), \"cores\": \(args.cores)}")
    } else {
      let reachText =
        reach.map { "\($0.trials) trials, \(String(format: "%.1f", $0.seconds)) s to 90%" }
        ?? "90% not reached within \(args.maxTrials) trials"
      emit(
        "\(name.padding(toLength: 6, withPad: " ", startingAt: 0))  N_rec \(config.nRec)  \(String(format: "%7.2f", ms.median)) ms/batch "
          + "(median of \(args.batches) × \(args.repeats)\(args.cores == 1 ? ", one core" : ""))  whole call \(String(format: "%.2f", ms.whole)) ms/batch "
          + "(\(String(format: "%.2f", quiet.whole)) without loss recording)  \(reachText)")
    }
  }
} catch BenchError.usage(let message) {
  FileHandle.standardError.write(Data("psychrnn-bench: \(message)\n".utf8))
  exit(64)
} catch {
  FileHandle.standardError.write(Data("psychrnn-bench: \(error)\n".utf8))
  exit(1)
}
