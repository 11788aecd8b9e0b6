// The backward pass's second thread: every step's work runs once, in order, only after it is
// published; the gradients and a whole training run are bit-identical with and without it.

import Foundation
import Testing
import Linear
@testable import PsychRNN

/// A log that two threads may append to.
private final class OrderLog: @unchecked Sendable {
  private let lock = NSLock()
  private var entries: [Int] = []
  func append(_ k: Int) { lock.lock(); entries.append(k); lock.unlock() }
  var all: [Int] { lock.lock(); defer { lock.unlock() }; return entries }
}

@Test(arguments: [0, 1, 2, 7, 200])
func pipelineRunsEveryStepOnceInOrderAfterItsPublication(steps: Int) {
  let pipeline = StepPipeline(chunk: 3)
  for pass in 0..<3 {  // reused across passes, as by the batches of one train call
    let log = OrderLog()
    let published = OrderLog()
    pipeline.begin(steps: steps) { k in
      // Work may only see a step the recursion has published.
      #expect(published.all.contains(k), "step \(k) ran before it was published (pass \(pass))")
      log.append(k)
    }
    for k in stride(from: steps, through: 1, by: -1) {
      published.append(k)
      if k % 5 == 0 { usleep(50) }  // uneven publication, so both threads get to run steps
      pipeline.publish(k)
    }
    pipeline.finish()
    #expect(log.all == Array(stride(from: steps, through: 1, by: -1)), "pass \(pass)")
  }
}

@Test func pipelineFinishesEvenWhenNothingWasPublishedBeforeIt() {
  let pipeline = StepPipeline()
  let log = OrderLog()
  pipeline.begin(steps: 50) { log.append($0) }
  pipeline.finish()  // the main thread runs whatever the worker has not
  #expect(log.all == Array((1...50).reversed()))
}

private func gradients(
  pipelined: Bool, dale: Double?, transfer: TransferFunction
) throws -> LossAndGradients<BasicVariables<Float>> {
  let task = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 600, nBatch: 24)
  var rng = NumpyRandom(seed: 4)
  var options = InitializerOptions()
  options.daleRatio = dale
  var configuration = ModelConfiguration(task: task.timing, nRec: 40)
  configuration.transferFunction = transfer
  configuration.recNoise = 0.05
  let model = try Basic<Float>(configuration: configuration, options: options, using: &rng)
  let batch = try task.makeBatch(number: 1, using: &rng)
  var noise = NumpyRandom(seed: 9)
  return try model.lossAndGradients(
    x: batch.x, y: batch.y, mask: batch.mask,
    workspace: BasicWorkspace(pipelined: pipelined), noise: &noise)
}

@Test(arguments: [(nil, TransferFunction.relu), (0.8, .relu), (nil, .tanh)] as [(Double?, TransferFunction)])
func pipelinedGradientsAreBitIdenticalToInlineOnes(dale: Double?, transfer: TransferFunction) throws {
  let inline = try gradients(pipelined: false, dale: dale, transfer: transfer)
  let piped = try gradients(pipelined: true, dale: dale, transfer: transfer)
  #expect(inline.loss == piped.loss)
  #expect(inline.gradients == piped.gradients)
  #expect(inline.gradients.W_rec.storage.contains { $0 != 0 }, "a gradient that is all zeros proves nothing")
}

@Test func trainingWithTheGradientThreadMatchesTrainingWithout() throws {
  let task = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 400, nBatch: 16)
  func run(parallel: Bool) throws -> (BasicVariables<Float>, [Double]) {
    var rng = NumpyRandom(seed: 1)
    var model = try Basic<Float>(configuration: ModelConfiguration(task: task.timing, nRec: 20), using: &rng)
    var source = TrainingSource.task(task)
    var trials = NumpyRandom(seed: 2), noise = NumpyRandom(seed: 3)
    var options = TrainingOptions()
    options.trainingIters = 16 * 12
    options.lossEpoch = 1
    options.parallelWeightGradients = parallel
    let result = try model.train(&source, options: options, trials: &trials, noise: &noise)
    return (model.variables, result.losses)
  }
  let (a, la) = try run(parallel: true)
  let (b, lb) = try run(parallel: false)
  #expect(la == lb && la.count == 12)
  #expect(a == b)
}

@Test(arguments: [0.0, 0.07])
func pipelinedLSTMGradientsAreBitIdenticalToInlineOnes(firingRate: Double) throws {
  let task = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 500, nBatch: 12)
  var rng = NumpyRandom(seed: 5)
  var configuration = ModelConfiguration(task: task.timing, nRec: 16)
  configuration.regularization.L2_firing_rate = firingRate
  let model = try LSTM<Float>(configuration: configuration, using: &rng)
  let batch = try task.makeBatch(number: 1, using: &rng)
  let inline = try model.lossAndGradients(x: batch.x, y: batch.y, mask: batch.mask, workspace: LSTMWorkspace(pipelined: false))
  let piped = try model.lossAndGradients(x: batch.x, y: batch.y, mask: batch.mask, workspace: LSTMWorkspace(pipelined: true))
  #expect(inline.loss == piped.loss && inline.regularization == piped.regularization)
  #expect(inline.gradients == piped.gradients)
  #expect(inline.gradients.W_f.storage.contains { $0 != 0 }, "a gradient that is all zeros proves nothing")
}

@Test(arguments: [(1, 1), (1, 3), (5, 1), (3, 2)] as [(Int, Int)])
func pipelinedGradientsMatchInlineOnesAtEdgeShapes(batch: Int, steps: Int) throws {
  var rng = NumpyRandom(seed: 8)
  var configuration = ModelConfiguration(nIn: 3, nRec: 6, nOut: 2, nSteps: steps, dt: 10, tau: 100, nBatch: batch)
  configuration.regularization.L2_firing_rate = 0.1
  let model = try Basic<Double>(configuration: configuration, using: &rng)
  func tensor(_ d2: Int) -> Tensor3<Double> {
    Tensor3(batch, steps, d2, storage: (0..<(batch * steps * d2)).map { _ in rng.uniform() })
  }
  let (x, y, mask) = (tensor(3), tensor(2), tensor(2))
  var n1 = NumpyRandom(seed: 1), n2 = NumpyRandom(seed: 1)
  let inline = try model.lossAndGradients(x: x, y: y, mask: mask, workspace: BasicWorkspace(pipelined: false), noise: &n1)
  let piped = try model.lossAndGradients(x: x, y: y, mask: mask, workspace: BasicWorkspace(pipelined: true), noise: &n2)
  #expect(inline.loss == piped.loss && inline.regularization == piped.regularization)
  #expect(inline.gradients == piped.gradients)
  #expect(inline.gradients.W_out.storage.contains { $0 != 0 })
}

@Test func coreCountReadsCgroupQuotas() {
  #expect(CoreCount.cores(fromCPUMax: "max 100000\n") == nil)
  #expect(CoreCount.cores(fromCPUMax: "100000 100000\n") == 1)
  #expect(CoreCount.cores(fromCPUMax: "150000 100000") == 2)
  #expect(CoreCount.cores(fromCPUMax: "garbage") == nil)
  #expect(CoreCount.cores(quota: "-1\n", period: "100000\n") == nil)
  #expect(CoreCount.cores(quota: "50000\n", period: "100000\n") == 1)
  #expect(CoreCount.available() >= 1)
  #expect(CoreCount.cgroupV2Path(fromProcSelfCgroup: "12:pids:/\n0::/user.slice/job.scope\n") == "/user.slice/job.scope")
  #expect(CoreCount.cgroupV2Path(fromProcSelfCgroup: "9:name=systemd:/\n") == nil)
  #expect(CoreCount.cgroupV2Ancestry("/a/b") == ["/a/b", "/a", ""])
  #expect(CoreCount.cgroupV2Ancestry("/") == [""])
}

@Test func coreCountReadsAffinityLists() {
  #expect(CoreCount.cpuCount(fromList: "0-1\n") == 2)
  #expect(CoreCount.cpuCount(fromList: "\t1") == 1)
  #expect(CoreCount.cpuCount(fromList: "0-3,8,10-11") == 7)
  #expect(CoreCount.cpuCount(fromList: "3-1") == nil)
  #expect(CoreCount.cpuCount(fromList: "") == nil)
  #if os(Linux)
    #expect(CoreCount.affinityCount() != nil)
  #endif
  #expect(CoreCount.available() <= ProcessInfo.processInfo.activeProcessorCount)
}

@Test func checksInTheTrainingBuffersMatchAFreshForwardPass() throws {
  let task = try PerceptualDiscrimination(dt: 10, tau: 100, duration: 500, nBatch: 10)
  var rng = NumpyRandom(seed: 12)
  var configuration = ModelConfiguration(task: task.timing, nRec: 12)
  configuration.recNoise = 0.1
  let model = try Basic<Float>(configuration: configuration, using: &rng)
  let ws = model.makeTrainingWorkspace(options: TrainingOptions())
  var n1 = NumpyRandom(seed: 4), n2 = NumpyRandom(seed: 4)
  for number in 1...2 {  // the second time in buffers already used
    let batch = try task.makeBatch(number: number, using: &rng)
    let reused = try model.outputs(of: batch.x, workspace: ws, noise: &n1)
    let fresh = try model.forward(batch.x.converted(), noise: &n2).outputs.converted(to: Double.self)
    #expect(reused == fresh)
  }
  #expect(n1.uniform() == n2.uniform(), "both draw the same recurrent noise")
}

@Test func pipelineSurvivesManyQuickPassesWhoseWorkerStartsLateOrNever() {
  let pipeline = StepPipeline(chunk: 2)
  var generator = NumpyRandom(seed: 3)
  for pass in 0..<300 {
    let steps = generator.integer(below: 6)
    let log = OrderLog()
    pipeline.begin(steps: steps) { log.append($0) }
    if pass % 3 == 0 { for k in stride(from: steps, through: 1, by: -1) { pipeline.publish(k) } }
    pipeline.finish()  // often before the worker's job has even started
    #expect(log.all == Array(stride(from: steps, through: 1, by: -1)), "pass \(pass)")
  }
}
