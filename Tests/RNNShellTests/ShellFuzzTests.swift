// No input line crashes the shell: thousands of random and mutated lines (binary junk, huge
// numbers, deep nesting, unterminated strings, wrong types, commands with missing or extra
// arguments) go through the real Shell in-process; each must end as a value or a diagnostic,
// and the session must keep working afterwards.

import Foundation
import Testing
import Linear
@testable import RNNScript
@testable import RNNShell

private let corpus = [
  "seed 7", "task = PerceptualDiscrimination(dt: 10, tau: 100, T: 100, N_batch: 4)",
  "net = Basic(task, N_rec: 5)", "net2 = Basic(task, N_rec: 4, dale_ratio: 0.5, autapses: false)",
  "train net task training_iters: 8", "acc = accuracy net task", "print acc", "b = batch task",
  "b.x[0]", "b.params[1]", "r = test net task", "r.outputs.shape", "s = simulate net b.x",
  "ablate W_rec 1 2 from: 10 to: 50", "ablate unit 3", "restore", "plot loss net", "plot outputs net task trial: 1",
  "plot states net task", "plot weights net W_rec", "show net", "show task", "vars", "use net2", "help train",
  "help Basic", "x = [1, 2, 3]", "y = (1 + 2) * 3 / 4 - -1", "net.W_rec", "task.N_steps", "max(abs(net.W_in))",
  "c = Curriculum([task, task], thresholds: [0.5, 0.5])", "m = random_mask(5, 5, 0.5)", "z = zeros(3, 2)",
  "i = GaussianSpectralRadius(spec_rad: 1.2)", "n3 = Basic(task, N_rec: 3, initializer: AlphaIdentity(alpha: 0.5))",
]

private let junk = [
  "\u{0}", "\u{1B}[31m", "((((((", "]]]", "\"unterminated", "'", "1e999999", "-", "::", "==",
  "NaN", "9999999999999999999999", ",", ".", "é", "🧠", "\t", "#", ";", "[" + String(repeating: "[", count: 3000),
]

private func mutate(_ line: String, _ rng: inout NumpyRandom) -> String {
  var chars = Array(line)
  switch rng.integer(below: 7) {
  case 0 where !chars.isEmpty: chars.remove(at: rng.integer(below: chars.count))
  case 1: chars.insert(contentsOf: Array(junk[rng.integer(below: junk.count)]), at: rng.integer(below: chars.count + 1))
  case 2 where !chars.isEmpty:
    chars[rng.integer(below: chars.count)] = Character(UnicodeScalar(UInt8(32 + rng.integer(below: 95))))
  case 3: return line + " " + corpus[rng.integer(below: corpus.count)]
  case 4:
    // Replace a number with an extreme one.
    let extremes = ["0", "-1", "1e308", "-1e308", "123456789", "0.5", "3e-300", "100000"]
    return line.replacingOccurrences(of: "5", with: extremes[rng.integer(below: extremes.count)])
  case 5: return String((0..<rng.integer(below: 40)).map { _ in Character(UnicodeScalar(UInt8(rng.integer(below: 128)))) })
  default: chars.shuffle(using: &rng)
  }
  return String(chars)
}

@Test func randomAndMutatedLinesNeverCrashTheShell() throws {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("psychrnn-fuzz-\(UUID().uuidString)").path
  try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(atPath: dir) }
  let sink = open("/dev/null", O_WRONLY)
  defer { close(sink) }
  let terminal = Terminal(
    environment: ["NO_COLOR": "1", "COLUMNS": "80"], inputIsTerminal: false, outputIsTerminal: false,
    output: FileOutput(fileDescriptor: sink), errorOutput: FileOutput(fileDescriptor: sink))
  let session = Session()
  session.directory = dir
  let shell = Shell(session: session, terminal: terminal)
  // Long computations that mutations can produce (huge training_iters) stop at once.
  session.isCancelled = { true }
  var rng = NumpyRandom(seed: 2024)
  var ran = 0, succeeded = 0
  let deadline = ContinuousClock.now + .seconds(40)
  for round in 0..<3000 where ContinuousClock.now < deadline {
    let base = corpus[rng.integer(below: corpus.count)]
    let line = round % 4 == 0 ? base : mutate(base, &rng)
    let exit = shell.runChunk(line, file: nil, firstLine: 1, interactive: true)
    #expect(exit != .interrupted, "line: \(line.debugDescription)")
    ran += 1
    if exit == .finished { succeeded += 1 }
  }
  #expect(ran >= 500)
  // The corpus is valid, so a good share of lines do real work (train, plot, simulate…).
  #expect(succeeded >= ran / 5, "only \(succeeded) of \(ran) lines succeeded")
  // The session still works.
  #expect(
    shell.runChunk(
      "seed 1\nt = PerceptualDiscrimination(dt: 10, tau: 100, T: 100, N_batch: 2)\nq = Basic(t, N_rec: 3)\nq.N_rec",
      file: nil, firstLine: 1, interactive: true) == .finished)
}
