// Ctrl-\ (SIGQUIT) in the real shell, in a pseudo-terminal: it is treated as Ctrl-C, so at the
// prompt it clears the line (no "crashed" backtrace, the next line runs), and SIGTERM at the
// prompt ends the session with 143.

import Foundation
import Testing

@Suite(.serialized)
struct QuitKeyPseudoTerminalTests {
  private func start(directory: String) throws -> PseudoTerminal {
    let t = try PseudoTerminal(
      command: [try ChildProcess.binary()], environment: ["PSYCHRNN_HISTORY": "", "NO_COLOR": "1"],
      width: 120, height: 40, workingDirectory: directory)
    try t.waitFor("psychrnn> ", timeout: 30)
    return t
  }

  @Test func ctrlBackslashAtThePromptActsLikeCtrlC() throws {
    let dir = try ChildProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let t = try start(directory: dir)
    defer { t.close() }
    try t.send("half typed")
    try t.waitFor("psychrnn> half typed")
    try t.sendKey(.ctrlBackslash)
    try t.waitFor("half typed^C")
    try t.send("6 * 7\n")
    let screen = try t.waitFor("42")
    #expect(!screen.contains("crashed"))
    #expect(try t.exitStatus() == nil)
  }

  @Test func sigtermAtThePromptEndsTheSession() throws {
    let dir = try ChildProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let t = try start(directory: dir)
    defer { t.close() }
    try t.send("x = 1\n")
    try t.waitFor("psychrnn> x = 1")
    let pid = try #require(Int32(try t.panePID()))
    kill(pid, SIGTERM)
    #expect(try t.waitForExit(timeout: 10) == 143)
  }
}
