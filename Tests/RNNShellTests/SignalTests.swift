// Signals and closed outputs on the real psychrnn binary in a child process (docs/reliability.md,
// "Signals"): SIGTERM and SIGHUP stop training after the current batch as Ctrl-C does, then the
// process exits with 128 + the signal and the script does not run on; a signal while nothing
// polls ends it at once; no temporary is ever left; output to a closed pipe or descriptor is an
// error, not a silent exit 0.

import Foundation
import Glibc
import Testing

@Suite(.serialized)
struct SignalTests {
  /// Trains long enough to be signalled (saving weights every 5 batches, so the test sees when it
  /// has started and temporaries are in flight), then saves `after.npz`, which must never appear.
  static let longTraining = """
    seed 1
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 2000, N_batch: 128)
    net = Basic(task, N_rec: 50)
    train net task training_iters: 100000000 save_training_weights_epoch: 5 training_weights_path: "w_"
    save net "after.npz"

    """

  @Test(arguments: [(SIGTERM, Int32(143)), (SIGHUP, Int32(129))])
  func aSignalDuringTrainingStopsAfterTheBatchAndEndsTheScript(signal: Int32, status: Int32) throws {
    let dir = try ChildProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try SignalTests.longTraining.write(toFile: dir + "/train.rnn", atomically: true, encoding: .utf8)
    let child = try ChildProcess(shell: "exec \(ChildProcess.quoted(try ChildProcess.binary())) train.rnn", directory: dir)
    let started = child.waitUntil(timeout: 60) { FileManager.default.fileExists(atPath: dir + "/w_10.npz") }
    #expect(started, "training never saved w_10.npz: \(child.output)")
    child.send(signal)
    let result = child.finish(timeout: 30)
    #expect(!result.timedOut)
    #expect(!result.signalled, "killed by the signal instead of stopping: \(result.output)")
    #expect(result.status == status, "\(result.output)")
    let name = signal == SIGTERM ? "SIGTERM" : "SIGHUP"
    #expect(result.output.contains("stopped (\(name))"), "the summary names the signal: \(result.output)")
    #expect(!FileManager.default.fileExists(atPath: dir + "/after.npz"), "the script ran on after the signal")
    #expect(leftoverTemporaries(in: dir).isEmpty)
  }

  @Test func aSecondSignalEndsTheProcessAtOnceWithoutTemporaries() throws {
    let dir = try ChildProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try SignalTests.longTraining.write(toFile: dir + "/train.rnn", atomically: true, encoding: .utf8)
    let child = try ChildProcess(shell: "exec \(ChildProcess.quoted(try ChildProcess.binary())) train.rnn", directory: dir)
    _ = child.waitUntil(timeout: 60) { FileManager.default.fileExists(atPath: dir + "/w_10.npz") }
    child.send(SIGTERM)
    child.send(SIGTERM)
    let result = child.finish(timeout: 30)
    #expect(!result.signalled && result.status == 143, "\(result.output)")
    #expect(!FileManager.default.fileExists(atPath: dir + "/after.npz"))
    #expect(leftoverTemporaries(in: dir).isEmpty)
  }

  /// Blocked reading a pipe nothing polls: SIGHUP (the terminal went away) ends it at once.
  @Test func aSignalWhileBlockedReadingEndsAtOnce() throws {
    let dir = try ChildProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let child = try ChildProcess(
      shell: "exec \(ChildProcess.quoted(try ChildProcess.binary()))", directory: dir, input: .openPipe)
    let line = "x = 41 + 1\n"
    _ = line.withCString { write(child.inputWriter, $0, strlen($0)) }
    usleep(500_000)
    let sent = Date()
    child.send(SIGHUP)
    let result = child.finish(timeout: 10)
    #expect(!result.timedOut && Date().timeIntervalSince(sent) < 5)
    #expect(!result.signalled && result.status == 129, "\(result.status) \(result.output)")
  }

  /// With SIGPIPE ignored (as some CI runners and `trap '' PIPE` leave it), a closed pipe was an
  /// EPIPE dropped silently, with exit status 0; a closed or full descriptor likewise.
  @Test(arguments: [
    ("trap '' PIPE; (BIN -e 'for i in range(100000) { print(i) }'; echo \"status=$?\" >&2) | head -n 1 >/dev/null", "status=141"),
    ("(BIN -e 'print(1)' >&-; echo \"status=$?\" >&2)", "status=74"),
    ("(BIN -e 'print(1)' >/dev/full; echo \"status=$?\" >&2)", "status=74"),
  ])
  func outputThatCannotBeWrittenIsAnError(script: String, expected: String) throws {
    let dir = try ChildProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let command = script.replacingOccurrences(of: "BIN", with: ChildProcess.quoted(try ChildProcess.binary()))
    let result = try ChildProcess.run(shell: command, directory: dir, timeout: 60)
    #expect(!result.timedOut)
    #expect(result.output.contains(expected), "\(result.output)")
    #expect(!result.output.contains("crashed"), "\(result.output)")
  }
}
