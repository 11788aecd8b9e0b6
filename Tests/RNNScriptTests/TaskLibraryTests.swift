// The task library (Sources/RNNScript/Library/tasks/*.rnn, StandardLibrary.swift): found beside
// the test runner as the tool finds it beside psychrnn, names resolved lazily and shadowed by
// variables, broken or missing libraries reported with the file and place; and each library task:
// its help text, one trial's timeline against a numpy re-statement of the same trial from the
// parameters in `b.params` (the oracle), and training to the accuracy docs/tasks.md states.

import Foundation
import Testing
import TestSupport

@testable import RNNScript

/// The library's folder in the checkout (what the build copies beside the executables).
private let sourceLibrary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().appendingPathComponent("Sources/RNNScript/Library").path

/// The tasks the library ships, by the names of their files.
let libraryTaskNames = [
  "ContextDependentDecision"
]

private func number(_ session: Session, _ name: String) -> Double { session.variables[name]?.numeric ?? .nan }

private func doubles(_ v: Value?) -> [Double] {
  switch v {
  case .number(let d)?: return [d]
  case .bool(let b)?: return [b ? 1 : 0]
  case .array(let a)?: return a.values
  default: return []
  }
}

/// A batch `b` drawn in a fresh session by `source`, its x, y, mask and params.
private func batch(_ source: String, seed: UInt32 = 5) throws -> (x: [Double], y: [Double], mask: [Double], params: Record) {
  let session = Session(seed: seed)
  try runScript(source + "\nb = batch task", in: session)
  guard case .record(let b)? = session.variables["b"], case .record(let p)? = b["params"] else {
    throw RuntimeError("the script made no batch b")
  }
  return (doubles(b["x"]), doubles(b["y"]), doubles(b["mask"]), p)
}

/// The numpy oracle: `P` (the batch's params, one list per field), and `trial(k)` written in
/// Python returning (x, y, mask) for trial k as S × channels arrays; prints the whole batch.
private func oracle(_ params: Record, _ python: String) throws -> (x: [Double], y: [Double], mask: [Double]) {
  let fields = params.fields.map { f in "'\(f.name)': [\(doubles(f.value).map { "\($0)" }.joined(separator: ", "))]" }
  let script = """
    import numpy as np
    P = {\(fields.joined(separator: ", "))}
    B = len(next(iter(P.values())))
    \(python)
    xs, ys, ms = zip(*[trial(k) for k in range(B)])
    for a in (xs, ys, ms):
        print(' '.join(repr(float(v)) for v in np.ravel(np.array(a))))
    """
  let lines = try Python.run(script).split(separator: "\n").map { $0.split(separator: " ").map { Double(String($0))! } }
  return (lines[0], lines[1], lines[2])
}

@Suite struct TaskLibraryLoadingTests {
  /// Under `swift test` the runner sits in .build/debug beside the resources bundle, as psychrnn does.
  @Test func theShippedLibraryIsFoundBesideTheExecutable() throws {
    let library = StandardLibrary.locate(environment: [:])
    guard case .success(let folder) = library.folder else { Issue.record("\(library.folder)"); return }
    #expect(folder.hasSuffix("swift-psychrnn_RNNScript.resources/Library"))
    #expect(library.names == libraryTaskNames.sorted())
    let files = try FileManager.default.contentsOfDirectory(atPath: sourceLibrary + "/tasks").filter { $0.hasSuffix(".rnn") }
    #expect(Set(files.map { String($0.dropLast(4)) }) == Set(libraryTaskNames), "every file in the checkout is tested")
  }

  @Test func theOverrideWinsAndAMissingFolderSaysWhereItLooked() throws {
    let chosen = StandardLibrary.locate(environment: [StandardLibrary.environmentKey: sourceLibrary])
    #expect(chosen.names == libraryTaskNames.sorted())
    let session = Session()
    session.library = StandardLibrary.locate(environment: [StandardLibrary.environmentKey: "/nonexistent/lib"])
    do {
      try runScript("task = ContextDependentDecision()", in: session)
      Issue.record("no error")
    } catch let e as RuntimeError {
      #expect(e.message.contains("unknown function 'ContextDependentDecision'"), "\(e.message)")
      #expect(e.message.contains("looked for /nonexistent/lib/tasks (from PSYCHRNN_LIBRARY)"), "\(e.message)")
    }
  }

  /// Library names are not variables: `vars` does not list them, a variable shadows them, and
  /// the file's helpers stay out of the session.
  @Test func namesResolveLazilyOutsideTheVariables() throws {
    let session = Session()
    try runScript("task = ContextDependentDecision(N_batch: 4)\nf = ContextDependentDecision", in: session)
    #expect(session.definitionOrder == ["task", "f"])
    guard case .task(let t)? = session.variables["task"] else { Issue.record("no task"); return }
    #expect(t.task.name == "ContextDependentDecision" && t.task.timing.nIn == 4 && t.task.timing.nBatch == 4)
    guard case .function(let f)? = session.variables["f"] else { Issue.record("not a function"); return }
    #expect(f.name == "ContextDependentDecision")
    try runScript("ContextDependentDecision = 3\nv = ContextDependentDecision + 1", in: session)
    #expect(number(session, "v") == 4, "a variable shadows the library name")
    do {
      try runScript("params(0, 0)", in: session)
      Issue.record("a library file's helper leaked into the session")
    } catch let e as RuntimeError {
      #expect(e.message.contains("unknown function 'params'"))
    }
  }

  @Test func aBrokenLibraryFileIsAClearError() throws {
    let dir = try makeTemporaryDirectory("broken-library")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir + "/tasks", withIntermediateDirectories: true)
    try "# a broken task\ndef Broken(dt: 10) {\n  x = 1 + * 2\n  return x\n}\n".write(
      toFile: dir + "/tasks/Broken.rnn", atomically: true, encoding: .utf8)
    try "x = 1\ndef Stray() { return 1 }\n".write(toFile: dir + "/tasks/Stray.rnn", atomically: true, encoding: .utf8)
    try "def Other() { return 1 }\n".write(toFile: dir + "/tasks/Misnamed.rnn", atomically: true, encoding: .utf8)
    let session = Session()
    session.library = StandardLibrary(folder: dir)
    #expect(session.libraryNames == ["Broken", "Misnamed", "Stray"])
    for (call, message) in [
      ("Broken()", "\(dir)/tasks/Broken.rnn does not parse: 3:11:"),
      ("Stray()", "\(dir)/tasks/Stray.rnn:1: only def statements"),
      ("Misnamed()", "\(dir)/tasks/Misnamed.rnn does not define Misnamed"),
      ("help Broken", "Broken.rnn does not parse"),
    ] {
      do {
        try runScript("t = " + call, in: session)
        Issue.record("no error for \(call)")
      } catch let e as RuntimeError {
        #expect(e.message.contains(message), "\(call): \(e.message)")
        #expect(e.location?.line == 1, "the error points at the call")
      }
    }
  }

  @Test(arguments: libraryTaskNames)
  func everyTaskHasHelp(name: String) throws {
    let shown = try runScript("help \(name)")
    guard case .text(let text)? = shown.first else { Issue.record("no help"); return }
    let lines = text.split(separator: "\n")
    #expect(lines.first?.hasPrefix("\(name)(dt: ") == true, "the signature with its defaults: \(lines.first ?? "")")
    #expect(lines.count >= 8, "a comment block: what, paper, inputs, outputs, timeline, parameters")
    for word in ["inputs:", "outputs:", "timeline:", "parameters:"] {
      #expect(text.contains(word), "\(name)'s help says \(word)")
    }
    guard case .text(let overview)? = try runScript("help").first else { return }
    #expect(overview.contains(name), "help lists the library")
  }
}

/// The mean accuracy over 8 fresh batches (512 trials at N_batch 64).
private let scoring = """
  def scored(net, task) {
    accs = []
    for i in range(8) { accs = append(accs, accuracy(net, task)) }
    return mean(accs)
  }

  """

@Suite struct LibraryTaskTests {
  /// One batch against numpy: the stimulus and context inputs, the targets and the response mask
  /// from each trial's context, coherences and delay (noise off, so x is exact).
  @Test func contextDependentDecisionTimeline() throws {
    let b = try batch(
      "task = ContextDependentDecision(dt: 10, T: 2000, N_batch: 16, fixation: 200, stimulus: 600, delay_min: 300, delay_max: 900, stim_noise: 0)"
    )
    #expect(Set(b.params.fields.map(\.name)) == ["context", "motion_coherence", "colour_coherence", "delay", "direction"])
    let want = try oracle(
      b.params,
      """
      t = np.arange(200) * 10.0
      def trial(k):
          on = (t >= 200) & (t < 800)
          x = np.zeros((200, 4)); y = np.zeros((200, 2))
          x[:, 0] = on * P['motion_coherence'][k]
          x[:, 1] = on * P['colour_coherence'][k]
          x[:, 2 + int(P['context'][k])] = 1
          relevant = P['colour_coherence'][k] if P['context'][k] == 1 else P['motion_coherence'][k]
          d = 1 if relevant > 0 else 0
          assert d == P['direction'][k]
          assert abs(P['motion_coherence'][k]) in (0.05, 0.15, 0.5) and abs(P['colour_coherence'][k]) in (0.06, 0.18, 0.5)
          assert 300 <= P['delay'][k] < 900
          go = t >= 200 + 600 + P['delay'][k]
          y[:, d] = go * 1.0; y[:, 1 - d] = go * 0.2
          return x, y, np.repeat(go[:, None], 2, axis=1) * 1.0
      """)
    #expect(b.x == want.x)
    #expect(b.y == want.y)
    #expect(b.mask == want.mask)
    let contexts = doubles(b.params["context"])
    #expect(Set(contexts) == [0, 1], "both contexts drawn in 16 trials")
  }

  @Test func contextDependentDecisionTrains() throws {
    let session = Session(seed: 1)
    try runScript(
      scoring + """
        task = ContextDependentDecision(dt: 20, T: 1400, fixation: 100, stimulus: 500, delay_min: 100, delay_max: 400, N_batch: 64)
        net = Basic(task, N_rec: 50)
        train net task training_iters: 12800
        acc = scored(net, task)
        """, in: session)
    #expect(number(session, "acc") >= 0.95, "accuracy \(number(session, "acc"))")
  }
}
