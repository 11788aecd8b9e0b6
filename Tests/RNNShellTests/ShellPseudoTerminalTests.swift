// The real psychrnn binary in a pseudo-terminal (tmux): history across sessions, Tab completion
// of commands and parameter keys, and Ctrl-C during training stopping cleanly with the network
// kept and the prompt usable.

import Foundation
import Testing

@Suite(.serialized)
struct ShellPseudoTerminalTests {
  private func start(history: String, directory: String) throws -> PseudoTerminal {
    let t = try PseudoTerminal(
      command: [try ChildProcess.binary()], environment: ["PSYCHRNN_HISTORY": history, "NO_COLOR": "1"],
      width: 120, height: 40, workingDirectory: directory)
    try t.waitFor("psychrnn> ", timeout: 30)
    return t
  }

  private func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("psychrnn-pty-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
  }

  @Test func historyIsKeptAcrossSessions() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let first = try start(history: dir + "/history", directory: dir)
    try first.send("answer = 41 + 1\n")
    try first.waitFor("psychrnn> answer = 41 + 1")
    try first.send("answer\n")
    try first.waitFor("42")
    // A statement over several lines is one entry.
    try first.send("for i in [1, 2] {\n  print i * 10\n}\n")
    try first.waitFor("20")
    try first.sendKey(.ctrlD)
    _ = try first.waitForExit()
    first.close()

    let second = try start(history: dir + "/history", directory: dir)
    defer { second.close() }
    try second.sendKey(.up)
    try second.waitFor("psychrnn> for i in [1, 2] {")
    try second.sendKey(.up, count: 2)
    try second.waitFor("psychrnn> answer = 41 + 1")
  }

  @Test func tabCompletesCommandsAndParameterKeys() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let t = try start(history: "", directory: dir)
    defer { t.close() }
    try t.send("task = PerceptualDiscrimination(dt: 10, tau: 100, T: 200, N_batch: 8)\n")
    try t.waitFor("psychrnn> task = PerceptualDiscrimination")
    try t.send("net = Basic(task, N_re")
    try t.sendKey(.tab)
    try t.waitFor("net = Basic(task, N_rec:")
    try t.send(" 5)\n")
    try t.send("trai")
    try t.sendKey(.tab)
    try t.waitFor("psychrnn> train")
    try t.send(" net task training_iters: 8\nx = transp")
    try t.sendKey(.tab)
    try t.waitFor("x = transpose(")  // a function completes with its "(" and no space
    try t.send("net.W_r")
    try t.sendKey(.tab)
    try t.waitFor("x = transpose(net.W_rec")
  }

  @Test func ctrlCStopsTrainingAndKeepsTheNetwork() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let t = try start(history: "", directory: dir)
    defer { t.close() }
    try t.send("seed 1; task = PerceptualDiscrimination(dt: 10, tau: 100, T: 2000, N_batch: 128); net = Basic(task, N_rec: 50)\n")
    try t.send("train net task training_iters: 100000000\n")
    try t.waitFor("trials/s", timeout: 30)
    try t.sendKey(.ctrlC)
    try t.waitFor("stopped (Ctrl-C) after", timeout: 30)
    try t.send("net\n")
    let screen = try t.waitFor("trained on")
    #expect(screen.contains("Basic(N_in: 2, N_rec: 50"))
    #expect(try t.exitStatus() == nil)
  }
}

struct PseudoTerminalTestError: Error, CustomStringConvertible {
  let description: String
  init(_ d: String) { description = d }
}
