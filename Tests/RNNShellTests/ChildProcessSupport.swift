// The psychrnn binary as a child process, for tests that need real signals, closed pipes and
// resource limits: started through /bin/sh (so a test can `cd` and `ulimit` first, then `exec`),
// with no signals blocked or ignored, its standard output and error captured together by a
// reader thread (so a chatty child never blocks on a full pipe), and waited for with a timeout.

import Foundation
import TestSupport
import Glibc

/// A running child; `finish` waits for it.
final class ChildProcess: @unchecked Sendable {
  let pid: pid_t
  private let lock = NSLock()
  private var captured: [UInt8] = []
  private var readerDone = false
  /// The write end of the child's standard input when it is a pipe we hold open.
  private(set) var inputWriter: Int32 = -1

  /// Where the child's standard input comes from.
  enum Input {
    case null
    case file(String)
    /// A pipe this process keeps open (the child blocks reading it).
    case openPipe
  }

  /// Starts `/bin/sh -c script` in `directory` (the script should `exec` psychrnn).
  init(shell script: String, directory: String, input: Input = .null, environment: [String: String] = [:]) throws {
    var output: [Int32] = [0, 0]
    guard pipe(&output) == 0 else { throw ChildProcessError("pipe failed") }
    var inputPipe: [Int32] = [-1, -1]
    if case .openPipe = input { guard pipe(&inputPipe) == 0 else { throw ChildProcessError("pipe failed") } }
    for fd in output + inputPipe where fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    switch input {
    case .null: posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    case .file(let path): posix_spawn_file_actions_addopen(&actions, 0, path, O_RDONLY, 0)
    case .openPipe: posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
    }
    posix_spawn_file_actions_adddup2(&actions, output[1], 1)
    posix_spawn_file_actions_adddup2(&actions, output[1], 2)
    var env = ProcessInfo.processInfo.environment.filter { $0.key == "PATH" || $0.key == "HOME" || $0.key == "LANG" }
    env["NO_COLOR"] = "1"
    env["PSYCHRNN_HISTORY"] = ""
    env.merge(environment) { $1 }
    let full = "cd \(ChildProcess.quoted(directory)) && " + script
    let words: [String] = ["/bin/sh", "-c", full]
    let argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var attributes = PseudoTerminal.cleanSignalAttributes()
    defer { posix_spawnattr_destroy(&attributes) }
    var child: pid_t = 0
    let spawned = posix_spawn(&child, "/bin/sh", &actions, &attributes, argv, envp)
    close(output[1])
    if inputPipe[0] >= 0 { close(inputPipe[0]) }
    guard spawned == 0 else {
      close(output[0])
      throw ChildProcessError("could not start /bin/sh: error \(spawned)")
    }
    pid = child
    inputWriter = inputPipe[1]
    let reader = output[0]
    Thread.detachNewThread { [self] in
      var chunk = [UInt8](repeating: 0, count: 65536)
      while true {
        let n = chunk.withUnsafeMutableBytes { read(reader, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        lock.withLock { captured += chunk[..<n] }
      }
      close(reader)
      lock.withLock { readerDone = true }
    }
  }

  /// Everything the child wrote so far.
  var output: String { lock.withLock { String(decoding: captured, as: UTF8.self) } }

  func send(_ signal: Int32) { kill(pid, signal) }

  /// Waits for `condition` (checked every 50 ms) up to `timeout` seconds; false on timeout.
  func waitUntil(timeout: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if condition() { return true }
      usleep(50_000)
    }
    return condition()
  }

  /// Waits for the child to end (killing it after `timeout` seconds); its exit status as a shell
  /// reports it (128 + N for signal N), whether it ended by a signal, and its output.
  func finish(timeout: Double) -> (status: Int32, signalled: Bool, timedOut: Bool, output: String) {
    var status: Int32 = 0
    var timedOut = false
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      let r = waitpid(pid, &status, WNOHANG)
      if r == pid { break }
      if r < 0 && errno != EINTR { break }
      if Date() > deadline && !timedOut {
        timedOut = true
        kill(pid, SIGKILL)
      }
      usleep(20_000)
    }
    if inputWriter >= 0 { close(inputWriter); inputWriter = -1 }
    _ = waitUntil(timeout: 5) { lock.withLock { readerDone } }
    let signal = status & 0x7F
    return (signal == 0 ? (status >> 8) & 0xFF : 128 + signal, signal != 0, timedOut, output)
  }

  /// Runs `script` to the end: `finish(timeout:)` of a fresh child.
  static func run(
    shell script: String, directory: String, input: Input = .null, timeout: Double = 60
  ) throws -> (status: Int32, signalled: Bool, timedOut: Bool, output: String) {
    try ChildProcess(shell: script, directory: directory, input: input).finish(timeout: timeout)
  }

  /// The psychrnn executable built next to this test binary, or `$PSYCHRNN_BINARY` (to run these
  /// tests against another build, e.g. the code before a fix).
  static func binary() throws -> String {
    if let chosen = ProcessInfo.processInfo.environment["PSYCHRNN_BINARY"], !chosen.isEmpty { return chosen }
    let tests = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    var dir = URL(fileURLWithPath: tests).deletingLastPathComponent()
    while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("psychrnn").path) {
      dir = dir.deletingLastPathComponent()
    }
    let path = dir.appendingPathComponent("psychrnn").path
    guard FileManager.default.isExecutableFile(atPath: path) else {
      throw ChildProcessError("psychrnn is not built next to the tests (run swift build first)")
    }
    return path
  }

  /// A fresh empty directory; the caller removes it.
  static func temporaryDirectory() throws -> String {
    try makeTemporaryDirectory("psychrnn-child")
  }

  /// `word` quoted for /bin/sh.
  static func quoted(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

struct ChildProcessError: Error, CustomStringConvertible {
  let description: String
  init(_ d: String) { description = d }
}

/// The names in `directory` (recursively) that end in `.tmp-psychrnn`.
func leftoverTemporaries(in directory: String) -> [String] {
  let all = (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String]) ?? []
  return all.filter { $0.hasSuffix(".tmp-psychrnn") }
}
