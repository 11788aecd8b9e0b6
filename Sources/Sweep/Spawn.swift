// Child processes, started with posix_spawn (no fork of a threaded process, no shell): the pool's
// workers and the Slurm commands. Standard output and error go to a file or are captured; signals
// the parent blocks or ignores are reset to their defaults in the child.

import Foundation
#if canImport(Glibc)
  import Glibc
#endif

/// Starting and waiting for programs.
public enum Spawn {
  /// Where a child's output goes.
  public enum Output: Sendable {
    /// Appended to this file (created when missing).
    case file(String)
    /// Read by the parent and returned.
    case capture
    case null
  }

  /// A started child.
  public struct Child: Sendable {
    public let pid: pid_t
    fileprivate let reader: Int32
  }

  /// Starts `executable` with `arguments`; the environment is this process's with `environment`
  /// added (a value of nil removes the variable).
  public static func start(
    _ executable: String, _ arguments: [String], environment: [String: String?] = [:], output: Output = .null
  ) throws(SweepError) -> Child {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    var pipeEnds: [Int32] = [-1, -1]
    switch output {
    case .file(let path):
      posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
      posix_spawn_file_actions_adddup2(&actions, 1, 2)
    case .null:
      posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
      posix_spawn_file_actions_adddup2(&actions, 1, 2)
    case .capture:
      guard pipe(&pipeEnds) == 0 else {
        throw .engine("cannot start \(executable): pipe failed (\(String(cString: strerror(errno))))")
      }
      _ = fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC)
      _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
      posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
      posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 2)
    }
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t(), all = sigset_t()
    sigemptyset(&none)
    sigfillset(&all)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &all)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    let found = executable.contains("/") ? executable : (search(executable) ?? executable)
    let r = posix_spawn(&pid, found, &actions, &attributes, argv, envp)
    if pipeEnds[1] >= 0 { close(pipeEnds[1]) }
    guard r == 0 else {
      if pipeEnds[0] >= 0 { close(pipeEnds[0]) }
      throw .engine("cannot start \(executable): \(String(cString: strerror(r)))")
    }
    return Child(pid: pid, reader: pipeEnds[0])
  }

  /// Waits for `child`; its exit status as a shell reports it (128 + N for signal N) and, when
  /// captured, its output.
  public static func wait(_ child: Child) -> (status: Int32, output: String) {
    var captured: [UInt8] = []
    if child.reader >= 0 {
      var chunk = [UInt8](repeating: 0, count: 65536)
      while true {
        let n = chunk.withUnsafeMutableBytes { read(child.reader, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        captured += chunk[..<n]
      }
      close(child.reader)
    }
    return (waitStatus(child.pid), String(decoding: captured, as: UTF8.self))
  }

  /// Waits for `pid` to end; its exit status (128 + N for signal N).
  public static func waitStatus(_ pid: pid_t, options: Int32 = 0) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, options) < 0 {
      if errno != EINTR { return 127 }
    }
    return decode(status)
  }

  /// Any child that ended, without blocking: its pid and exit status.
  public static func reapAny(blocking: Bool) -> (pid: pid_t, status: Int32)? {
    var status: Int32 = 0
    while true {
      let pid = waitpid(-1, &status, blocking ? 0 : WNOHANG)
      if pid > 0 { return (pid, decode(status)) }
      if pid < 0 && errno == EINTR { continue }
      return nil
    }
  }

  static func decode(_ status: Int32) -> Int32 {
    let signal = status & 0x7F
    return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
  }

  /// Runs a program to its end, capturing its output.
  public static func run(
    _ executable: String, _ arguments: [String], environment: [String: String?] = [:]
  ) throws(SweepError)
    -> (status: Int32, output: String)
  {
    wait(try start(executable, arguments, environment: environment, output: .capture))
  }

  /// `name` looked up on PATH.
  public static func search(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") where !dir.isEmpty {
      let candidate = "\(dir)/\(name)"
      if access(candidate, X_OK) == 0 { return candidate }
    }
    return nil
  }
}
