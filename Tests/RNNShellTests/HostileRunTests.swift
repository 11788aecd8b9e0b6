// Hostile statements under a 2 GB address-space limit (docs/reliability.md, "Hostile runs"):
// each either works or stops with 65, 66 (cannot read a script) or 70 and a message, never dies on a signal, and writes
// nothing outside its temporary directory.

import Foundation
import Glibc
import Testing

/// Off under AddressSanitizer (scripts/asan.sh sets ASAN_OPTIONS): ASan reserves terabytes of
/// address space for its shadow memory and cannot start under `ulimit -v`.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["ASAN_OPTIONS"] == nil))
struct HostileRunTests {
  static let task = "task = PerceptualDiscrimination(dt: 10, tau: 100, T: 2000, N_batch: 8)"

  private func runLimited(
    _ statements: String, in dir: String
  ) throws -> (status: Int32, signalled: Bool, timedOut: Bool, output: String) {
    let binary = ChildProcess.quoted(try ChildProcess.binary())
    try statements.write(toFile: dir + "/hostile.rnn", atomically: false, encoding: .utf8)
    return try ChildProcess.run(shell: "ulimit -v 2000000; exec \(binary) hostile.rnn", directory: dir, timeout: 120)
  }

  @Test func aHugeNetworkUnderUlimitIsAClearError() throws {
    let dir = try ChildProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try runLimited(HostileRunTests.task + "\nnet = Basic(task, N_rec: 8192)", in: dir)
    #expect(!r.timedOut && !r.signalled, "\(r.output)")
    #expect(r.status == 70, "\(r.output)")
    #expect(r.output.contains("N_rec") && r.output.contains("would need") && r.output.contains("ulimit -v"), "\(r.output)")
    let normal = try runLimited(
      HostileRunTests.task + "\nnet = Basic(task, N_rec: 50)\ntrain net task training_iters: 200", in: dir)
    #expect(normal.status == 0, "\(normal.output)")
  }

  static let hostile: [String] = [
    task + "\nnet = Basic(task, N_rec: 8192)",
    task + "\nnet = LSTM(task, N_rec: 8192)",
    "task = PerceptualDiscrimination(dt: 10, tau: 100, T: 2000, N_batch: 100000000)",
    "task = PerceptualDiscrimination(dt: 1, tau: 100, T: 1000000, N_batch: 100)",
    "task = PerceptualDiscrimination(dt: 10, tau: 100, T: 1e300, N_batch: 8)",
    "task = PerceptualDiscrimination(dt: 1e-300, tau: 100, T: 2000, N_batch: 8)",
    task + "\nnet = Basic(task, N_rec: 50)\ntrain net task training_iters: 1e18",
    "x = zeros([100000, 100000])",
    "x = eye(100000)",
    "x = ones([50000, 50000])",
    "x = load \"folder\"",
    "x = load \"fifo.npy\"",
    "x = load \"/dev/zero\"",
    "source \"fifo.npy\"",
    "source \"folder\"",
    "x = " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
    "x = " + String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000),
  ]

  /// By index, so that test names stay short (one statement is 200,000 brackets).
  @Test(arguments: 0..<hostile.count)
  func aHostileStatementWorksOrFailsCleanly(index: Int) throws {
    let statement = HostileRunTests.hostile[index]
    let dir = try ChildProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(atPath: dir + "/folder", withIntermediateDirectories: false)
    #expect(mkfifo(dir + "/fifo.npy", 0o644) == 0)
    let before = Set(try FileManager.default.contentsOfDirectory(atPath: "/tmp"))
    let r = try runLimited(statement, in: dir)
    let shown = String(statement.prefix(80))
    #expect(!r.timedOut, "\(shown): timed out")
    #expect(!r.signalled, "\(shown): killed by signal \(r.status - 128): \(r.output.prefix(2000))")
    #expect([0, 65, 66, 70].contains(r.status), "\(shown): status \(r.status): \(r.output.prefix(2000))")
    if r.status != 0 { #expect(r.output.contains("error"), "\(shown): \(r.output.prefix(2000))") }
    #expect(r.output.utf8.count < 20_000, "\(shown): \(r.output.utf8.count) bytes of output")
    #expect(!r.output.contains("crashed") && !r.output.contains("Fatal error"), "\(shown): \(r.output.prefix(2000))")
    let after = Set(try FileManager.default.contentsOfDirectory(atPath: "/tmp"))
    // Other tests (and other users of /tmp) create their own folders there meanwhile; a temporary or
    // hidden file would be ours.
    let created = after.subtracting(before).filter { $0.hasPrefix(".") || $0.hasSuffix(".tmp-psychrnn") }
    #expect(created.isEmpty, "\(shown): wrote \(created) in /tmp")
    #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir)) == ["folder", "fifo.npy", "hostile.rnn"])
  }
}
