// A program under a real terminal, driven like a person would drive it: tmux runs the command
// in a private server (its own socket, so tests never touch a user's tmux), we type with
// `send-keys` and read the screen with `capture-pane`.
//
//   let t = try PseudoTerminal(command: [binary, "--flag"], environment: ["NO_COLOR": "1"])
//   defer { t.close() }
//   try t.waitFor("psychrnn>")
//   try t.send("train net task\n")        // "\n" presses Enter, "\t" presses Tab
//   try t.sendKey(.ctrlC)
//   let screen = try t.waitFor("stopped")  // returns the screen that matched
//   #expect(try t.waitForExit() == 0)
//
// The pane is `width` × `height` (100 × 30 by default) with no status line, and stays on screen
// after the program exits so that its last words and exit status can still be read. TERM is
// "tmux-256color" when that terminfo entry exists, else "screen".

import Foundation
import Glibc
import Synchronization

/// Why driving the pseudo-terminal failed.
enum PseudoTerminalError: Error, CustomStringConvertible {
  /// tmux itself failed (not installed, bad arguments, the server died).
  case tmuxFailed(arguments: [String], status: Int32, output: String)
  /// The screen never showed what we waited for; `screen` is the last one seen.
  case timeout(waitingFor: String, screen: String)

  var description: String {
    switch self {
    case .tmuxFailed(let arguments, let status, let output):
      return "tmux \(arguments.joined(separator: " ")) failed (status \(status)): \(output)"
    case .timeout(let waitingFor, let screen):
      return "timed out waiting for \(waitingFor); the screen was:\n\(screen)"
    }
  }
}

/// A command running under a private tmux server, typed at and read like a real terminal.
final class PseudoTerminal {
  /// Keys with names, for `sendKey` (tmux key names).
  enum Key: String {
    case enter = "Enter"
    case tab = "Tab"
    case escape = "Escape"
    case backspace = "BSpace"
    case up = "Up"
    case down = "Down"
    case left = "Left"
    case right = "Right"
    case home = "Home"
    case end = "End"
    case ctrlA = "C-a"
    case ctrlC = "C-c"
    case ctrlD = "C-d"
    case ctrlE = "C-e"
    case ctrlBackslash = "C-\\"
    case ctrlK = "C-k"
    case ctrlL = "C-l"
    case ctrlR = "C-r"
    case ctrlU = "C-u"
    case ctrlW = "C-w"
    case ctrlZ = "C-z"
  }

  /// Whether tmux is installed (tests that need it are skipped otherwise).
  static var isAvailable: Bool { tmuxPath != nil }

  /// The private server's socket name (`tmux -L`).
  let socket: String
  /// A folder for the server's configuration file, removed by `close()`.
  private let folder: URL
  /// The environment tmux runs in; the server hands it to the command.
  private let environment: [String: String]
  private var isClosed = false

  /// Starts `command` (program and arguments, run directly: no shell word-splitting).
  /// - Parameters:
  ///   - environment: variables added to (or replacing) this process's environment.
  ///   - width, height: the terminal size in cells.
  ///   - workingDirectory: where the command starts; this process's by default.
  init(
    command: [String], environment: [String: String] = [:], width: Int = 100, height: Int = 30,
    workingDirectory: String? = nil
  ) throws {
    socket = "psychrnn-test-\(getpid())-\(PseudoTerminal.nextNumber())"
    folder = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var merged = ProcessInfo.processInfo.environment
    merged["TMUX"] = nil
    merged["TMUX_PANE"] = nil
    merged.merge(environment) { _, new in new }
    self.environment = merged
    let configuration = try writeConfiguration()
    var arguments = ["-f", configuration, "new-session", "-d", "-s", "main"]
    arguments += ["-x", String(width), "-y", String(height)]
    if let workingDirectory { arguments += ["-c", workingDirectory] }
    arguments.append("exec " + command.map(PseudoTerminal.shellQuoted).joined(separator: " "))
    try tmux(arguments)
  }

  deinit { close() }

  // MARK: - Typing

  /// Types `text` literally, except that "\n" presses Enter and "\t" presses Tab.
  func send(_ text: String) throws {
    var literal = ""
    for character in text {
      let key: Key? = character == "\n" ? .enter : character == "\t" ? .tab : nil
      guard let key else {
        literal.append(character)
        continue
      }
      try sendLiteral(literal)
      literal = ""
      try sendKey(key)
    }
    try sendLiteral(literal)
  }

  /// Presses `key`, `count` times.
  func sendKey(_ key: Key, count: Int = 1) throws {
    guard count > 0 else { return }
    try tmux(["send-keys", "-t", "main"] + Array(repeating: key.rawValue, count: count))
  }

  private func sendLiteral(_ text: String) throws {
    guard !text.isEmpty else { return }
    try tmux(["send-keys", "-t", "main", "-l", "--", text])
  }

  // MARK: - Reading

  /// The visible screen, one string per row joined by "\n", without trailing spaces or
  /// trailing empty rows. With `joinWrappedLines`, a line the terminal wrapped is one row.
  func screen(joinWrappedLines: Bool = false) throws -> String {
    let flags = joinWrappedLines ? ["-p", "-J"] : ["-p"]
    return PseudoTerminal.tidy(try tmux(["capture-pane"] + flags + ["-t", "main"]))
  }

  /// Everything the program has shown, scrollback included, wrapped lines joined.
  func transcript() throws -> String {
    PseudoTerminal.tidy(try tmux(["capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", "main"]))
  }

  /// Waits until the screen (wrapped lines joined) contains `text`, which may end in spaces
  /// (`"psychrnn> "`, the prompt with the cursor after it); returns the screen, tidied.
  @discardableResult
  func waitFor(_ text: String, timeout: Double = 10) throws -> String {
    try waitUntilRaw(timeout: timeout, "\"\(text)\"") { $0.contains(text) }
  }

  /// Waits until `condition` holds for the screen (wrapped lines joined, tidied as `screen()`
  /// does); returns that screen. `description` names the condition in the timeout error.
  @discardableResult
  func waitUntil(
    timeout: Double = 10, _ description: String, _ condition: (String) -> Bool
  ) throws -> String {
    try waitUntilRaw(timeout: timeout, description) { condition(PseudoTerminal.tidy($0)) }
  }

  /// Polls the screen as tmux captures it (wrapped lines joined, the spaces a program wrote
  /// at the ends of rows kept) every 50 ms until `condition` holds.
  private func waitUntilRaw(
    timeout: Double, _ description: String, _ condition: (String) -> Bool
  ) throws -> String {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      let raw = try tmux(["capture-pane", "-p", "-J", "-t", "main"])
      if condition(raw) { return PseudoTerminal.tidy(raw) }
      guard Date() < deadline else {
        throw PseudoTerminalError.timeout(waitingFor: description, screen: PseudoTerminal.tidy(raw))
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
  }

  // MARK: - Exit

  /// The command's exit status once it has ended (128 + N for a signal), nil while it runs.
  ///
  /// Until the status is known this also sends the tmux server a SIGCHLD. A tmux 3.3a server
  /// started from the test runner was seen (in about one run in four) to miss the SIGCHLD of
  /// its pane's exit: the pane was marked dead (its terminal closed) but the program stayed a
  /// zombie and no status came. An extra SIGCHLD only makes tmux look for ended children
  /// again, so it is harmless when nothing has ended.
  /// The process id of the command running in the pane.
  func panePID() throws -> String {
    try tmux(["display-message", "-p", "-t", "main", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func exitStatus() throws -> Int32? {
    let format = "#{pid} #{pane_dead} #{pane_dead_status}"
    let fields = try tmux(["display-message", "-p", "-t", "main", format])
      .split(whereSeparator: \.isWhitespace).map(String.init)
    if fields.count == 3, fields[1] == "1", let status = Int32(fields[2]) { return status }
    if let server = fields.first.flatMap({ pid_t($0) }) { kill(server, SIGCHLD) }
    return nil
  }

  /// Waits for the command to end and returns its exit status.
  @discardableResult
  func waitForExit(timeout: Double = 10) throws -> Int32 {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      if let status = try exitStatus() { return status }
      guard Date() < deadline else {
        throw PseudoTerminalError.timeout(waitingFor: "the program to exit", screen: try screen())
      }
      Thread.sleep(forTimeInterval: 0.05)
    }
  }

  /// Stops the server (ending the command if it still runs) and removes the temporary files.
  /// Safe to call more than once.
  func close() {
    guard !isClosed else { return }
    isClosed = true
    let socketPath = try? tmux(["display-message", "-p", "#{socket_path}"])
      .trimmingCharacters(in: .whitespacesAndNewlines)
    _ = try? tmux(["kill-server"])
    if let socketPath, !socketPath.isEmpty { try? FileManager.default.removeItem(atPath: socketPath) }
    try? FileManager.default.removeItem(at: folder)
  }

  // MARK: - Running tmux

  /// Runs tmux on our socket with `arguments`; returns its standard output.
  @discardableResult
  private func tmux(_ arguments: [String]) throws -> String {
    guard let path = PseudoTerminal.tmuxPath else {
      throw PseudoTerminalError.tmuxFailed(arguments: arguments, status: -1, output: "tmux not found")
    }
    let all = ["-L", socket] + arguments
    let (status, output) = PseudoTerminal.run(path, all, environment: environment)
    guard status == 0 else {
      throw PseudoTerminalError.tmuxFailed(arguments: all, status: status, output: output)
    }
    return output
  }

  /// Held from making a pipe until the child is spawned, so that no other test thread's child
  /// can inherit a pipe before it is marked close-on-exec.
  static let spawnLock = NSLock()

  /// Runs `path` with `arguments` and waits for it; returns its exit status (128 + N for
  /// signal N) and its standard output and error together.
  ///
  /// `posix_spawn` and `waitpid` rather than Foundation's `Process`: the first tmux command
  /// starts the server by forking, and `Process.waitUntilExit` was seen to wait forever for
  /// such a client (it stayed a zombie, never reaped).
  static func run(
    _ path: String, _ arguments: [String], environment: [String: String]
  ) -> (status: Int32, output: String) {
    // Close-on-exec: a pipe made on another test thread at the same moment must not leak into
    // this child (a tmux server keeping someone else's write end open makes their read hang).
    // The dup2 actions below clear the flag on the child's own stdout and stderr.
    spawnLock.lock()
    var ends: [Int32] = [0, 0]
    guard pipe(&ends) == 0 else { spawnLock.unlock(); return (-1, "pipe failed") }
    _ = fcntl(ends[0], F_SETFD, FD_CLOEXEC)
    _ = fcntl(ends[1], F_SETFD, FD_CLOEXEC)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
    posix_spawn_file_actions_adddup2(&actions, ends[1], 2)
    posix_spawn_file_actions_addclose(&actions, ends[0])
    posix_spawn_file_actions_addclose(&actions, ends[1])
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var attributes = cleanSignalAttributes()
    defer { posix_spawnattr_destroy(&attributes) }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
    spawnLock.unlock()
    Glibc.close(ends[1])
    defer { Glibc.close(ends[0]) }
    guard spawned == 0 else { return (-1, "could not start \(path): error \(spawned)") }
    let output = readToEnd(ends[0])
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let signal = status & 0x7F
    return (signal == 0 ? (status >> 8) & 0xFF : 128 + signal, output)
  }

  /// Spawn attributes for a child with no signals blocked and the usual ones at their default
  /// action. Test bodies run on Dispatch worker threads, which block almost every signal, and a
  /// child inherits its parent thread's mask: without this the tmux server would never see
  /// SIGCHLD (dead panes) and Ctrl-C would never reach the program under test. ChildProcess
  /// spawns with the same attributes.
  static func cleanSignalAttributes() -> posix_spawnattr_t {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGCHLD, SIGTSTP, SIGWINCH] {
      sigaddset(&defaults, signal)
    }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    return attributes
  }

  /// Everything readable from `descriptor` until end of file, as UTF-8 text.
  private static func readToEnd(_ descriptor: Int32) -> String {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count > 0 {
        bytes += chunk[..<count]
      } else if count < 0 && errno == EINTR {
        continue
      } else {
        return String(decoding: bytes, as: UTF8.self)
      }
    }
  }

  /// Writes the server's configuration: no status line (the pane is the whole window), keep
  /// dead panes, a terminal type libedit knows.
  private func writeConfiguration() throws -> String {
    let terminalType = PseudoTerminal.hasTerminfo("tmux-256color") ? "tmux-256color" : "screen"
    let lines = [
      "set -g status off",
      "set -g remain-on-exit on",
      "set -g history-limit 10000",
      "set -g default-terminal \(terminalType)",
    ]
    let path = folder.appendingPathComponent("tmux.conf").path
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  // MARK: - Helpers

  private static let tmuxPath: String? = {
    let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
      .split(separator: ":")
    return directories.map { "\($0)/tmux" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }()

  private static let counter = Mutex(0)

  private static func nextNumber() -> Int {
    counter.withLock { value in
      value += 1
      return value
    }
  }

  private static func hasTerminfo(_ name: String) -> Bool {
    let first = String(name.prefix(1))
    return ["/lib/terminfo", "/usr/share/terminfo", "/etc/terminfo"].contains {
      FileManager.default.fileExists(atPath: "\($0)/\(first)/\(name)")
    }
  }

  /// `word` in single quotes for `sh`, with embedded single quotes escaped.
  static func shellQuoted(_ word: String) -> String {
    "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
  }

  /// Drops trailing spaces on each row (tmux keeps those a program wrote when joining wrapped
  /// lines) and trailing empty rows.
  static func tidy(_ captured: String) -> String {
    var rows = captured.split(separator: "\n", omittingEmptySubsequences: false).map { row in
      String(row.reversed().drop { $0 == " " }.reversed())
    }
    while rows.last == "" { rows.removeLast() }
    return rows.joined(separator: "\n")
  }
}
