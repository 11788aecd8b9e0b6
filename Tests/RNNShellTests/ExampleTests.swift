// Every script in Examples/ runs through the real shell (in-process, output to a file, width 80,
// no colour) and its `# expect:` lines must appear in its output, in order. A `*` in an expect
// line matches any text. Plots of fixed data are compared with golden text in Golden/.

import Foundation
import Testing
import NumpyFormat
import PsychRNN
import TestSupport
@testable import RNNScript
@testable import RNNShell

enum ExampleSupport {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// Runs `script` in a fresh shell inside a temporary directory; returns (exit, output, directory).
  static func run(_ script: String, file: String? = "script.rnn", width: Int = 80) throws -> (ShellExit, String, String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("psychrnn-example-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let outPath = dir + "/output.txt"
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    let fd = open(outPath, O_WRONLY | O_APPEND)
    defer { close(fd) }
    let terminal = Terminal(
      environment: ["COLUMNS": "\(width)", "NO_COLOR": "1"], inputIsTerminal: false,
      outputIsTerminal: false, output: FileOutput(fileDescriptor: fd), errorOutput: FileOutput(fileDescriptor: fd))
    let session = Session()
    session.directory = dir
    let shell = Shell(session: session, terminal: terminal)
    let exit = shell.run(script: script, file: file)
    let output = try String(contentsOfFile: outPath, encoding: .utf8)
    return (exit, output, dir)
  }

  /// The `# expect:` patterns of a script, in order.
  static func expectations(_ script: String) -> [String] {
    script.split(separator: "\n").compactMap { line in
      let t = line.trimmingCharacters(in: .whitespaces)
      return t.hasPrefix("# expect:") ? String(t.dropFirst("# expect:".count)).trimmingCharacters(in: .whitespaces) : nil
    }
  }

  /// Whether `line` matches `pattern`, where `*` matches any text.
  static func matches(_ line: Substring, _ pattern: String) -> Bool {
    let parts = pattern.components(separatedBy: "*")
    var rest = line[...]
    for (i, part) in parts.enumerated() {
      if part.isEmpty { continue }
      if i == 0 {
        guard rest.hasPrefix(part) else { return false }
        rest = rest.dropFirst(part.count)
      } else {
        guard let r = rest.range(of: part) else { return false }
        rest = rest[r.upperBound...]
      }
    }
    return parts.last == "" || rest.isEmpty || parts.count == 1 && line == pattern[...]
  }

  /// The first expectation not met, if any (each must match a later line than the previous one).
  static func unmet(_ expectations: [String], in output: String) -> String? {
    let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
    var next = 0
    for pattern in expectations {
      guard let found = lines[next...].firstIndex(where: { matches($0, pattern) }) else { return pattern }
      next = found + 1
    }
    return nil
  }
}

/// Every script in Examples/, found on disk, so a new example cannot go untested. The quickstart has
/// a test of its own below, with stronger checks (accuracy, the saved file).
enum Examples {
  static let withTestsOfTheirOwn: Set<String> = ["quickstart", "sweep"]  // sweep: SweepEngineTests.swift

  static var all: [String] {
    let folder = ExampleSupport.repository.appendingPathComponent("Examples").path
    let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    return files.filter { $0.hasSuffix(".rnn") }.map { String($0.dropLast(4)) }.sorted()
  }
}

@Test func examplesAreFound() {
  #expect(Examples.all.count >= 6)
  #expect(Examples.withTestsOfTheirOwn.isSubset(of: Set(Examples.all)))
}

@Test(arguments: Examples.all.filter { !Examples.withTestsOfTheirOwn.contains($0) })
func exampleMeetsItsExpectations(name: String) throws {
  let path = ExampleSupport.repository.appendingPathComponent("Examples/\(name).rnn").path
  let script = try String(contentsOfFile: path, encoding: .utf8)
  let expectations = ExampleSupport.expectations(script)
  #expect(!expectations.isEmpty, "\(name).rnn has no # expect: lines")
  let (exit, output, dir) = try ExampleSupport.run(script, file: "\(name).rnn")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  #expect(exit == .finished, "\(name).rnn stopped: \(exit)\n\(output)")
  if let missing = ExampleSupport.unmet(expectations, in: output) {
    Issue.record("\(name).rnn: expected a line matching '\(missing)' in:\n\(output)")
  }
}

@Test func quickstartTrainsToHighAccuracyAndSavesWeights() throws {
  let path = ExampleSupport.repository.appendingPathComponent("Examples/quickstart.rnn").path
  let script = try String(contentsOfFile: path, encoding: .utf8)
  let (exit, output, dir) = try ExampleSupport.run(script, file: "quickstart.rnn")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  #expect(exit == .finished, "\(output)")
  #expect(output.contains("net: trained on 64000 trials"))
  // `print acc` prints the accuracy on its own line right after training.
  let numbers = output.split(separator: "\n").compactMap { Double($0) }
  let acc = try #require(numbers.first, "no accuracy line in:\n\(output)")
  #expect(acc >= 0.9)
  #expect(output.contains("training loss — net") && output.contains("states of net, trial 0"))
  let weights = try readNPZ(path: dir + "/pd_weights.npz")
  #expect(weights.map(\.0).prefix(3) == ["init_state", "W_in", "W_rec"])
}

// MARK: - Golden plots (fixed data, width 80, colour off)

private func checkGolden(_ name: String, _ text: String) throws {
  try Golden.check(name, text, folder: Golden.folder(beside: #filePath))
}

@Test func taskTimelineMatchesGoldenText() throws {
  let (exit, output, dir) = try ExampleSupport.run(
    "seed 1\ntask = PerceptualDiscrimination(dt: 10, tau: 100, T: 2000, N_batch: 8)\nshow task\n")
  defer { try? FileManager.default.removeItem(atPath: dir) }
  #expect(exit == .finished)
  try checkGolden("show-task-pd", output)
}

@Test func daleWeightHeatmapMatchesGoldenText() throws {
  let (exit, output, dir) = try ExampleSupport.run(
    """
    seed 4
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 2000, N_batch: 8)
    net = Basic(task, N_rec: 20, dale_ratio: 0.8)
    plot weights net W_rec
    """)
  defer { try? FileManager.default.removeItem(atPath: dir) }
  #expect(exit == .finished)
  try checkGolden("weights-dale", output)
}
