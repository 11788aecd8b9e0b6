// The pseudo-terminal harness itself, checked against bash (always installed) so that a
// failure in the line-reader tests points at the reader, not at the harness.

import Foundation
import Testing

@Suite(.serialized)
struct PseudoTerminalTests {
  /// Waits for bash's prompt, then a little longer: bash draws its prompt before it switches
  /// the terminal to raw mode, and a key sent in between can be lost. (libedit switches first,
  /// so programs using EditLineReader need no such pause.)
  private func waitForPrompt(_ terminal: PseudoTerminal) throws {
    try terminal.waitFor("ready$")
    Thread.sleep(forTimeInterval: 0.2)
  }

  /// bash with a start-up file of our own that sets a prompt we can wait for (bash ignores
  /// PS1 from the environment for an interactive shell started this way).
  private func bash() throws -> PseudoTerminal {
    let startup = FileManager.default.temporaryDirectory
      .appendingPathComponent("psychrnn-bashrc-\(getpid())").path
    try "PS1='ready$ '\nHISTFILE=/dev/null\n".write(toFile: startup, atomically: true, encoding: .utf8)
    return try PseudoTerminal(
      command: ["bash", "--noprofile", "--rcfile", startup, "-i"], width: 60, height: 12)
  }

  @Test func typesTextAndReadsTheScreen() throws {
    let terminal = try bash()
    defer { terminal.close() }
    try waitForPrompt(terminal)
    try terminal.send("echo $((6 * 7)) \"it's\"\n")
    let screen = try terminal.waitFor("42 it's")
    #expect(screen.hasPrefix("ready$ echo"))
  }

  @Test func sizeIsTheRequestedOne() throws {
    let terminal = try bash()
    defer { terminal.close() }
    try waitForPrompt(terminal)
    try terminal.send("echo size=$(tput cols)x$(tput lines)\n")
    try terminal.waitFor("size=60x12")
  }

  @Test func environmentReachesTheCommand() throws {
    let terminal = try PseudoTerminal(
      command: ["sh", "-c", "echo value=$PSEUDO_TERMINAL_TEST; sleep 30"],
      environment: ["PSEUDO_TERMINAL_TEST": "a b"])
    defer { terminal.close() }
    try terminal.waitFor("value=a b")
  }

  @Test func namedKeysReachTheProgram() throws {
    let terminal = try bash()
    defer { terminal.close() }
    try waitForPrompt(terminal)
    try terminal.send("echo sleeping; sleep 30")
    try terminal.sendKey(.enter)
    // Wait until the command runs: Ctrl-C makes the terminal flush input not yet read, so a
    // Ctrl-C sent right after Enter can swallow the Enter.
    try terminal.waitFor("\nsleeping")
    try terminal.sendKey(.ctrlC)  // interrupts sleep: the prompt comes back
    try terminal.waitUntil("a second prompt") { $0.components(separatedBy: "ready$").count == 3 }
    try terminal.send("echo one")
    try terminal.sendKey(.ctrlU)  // bash clears the line
    try terminal.send("echo twx")
    try terminal.sendKey(.backspace)
    try terminal.send("o\n")
    let screen = try terminal.waitFor("\ntwo")
    #expect(!screen.contains("one"))
  }

  @Test func reportsTheExitStatus() throws {
    let terminal = try bash()
    defer { terminal.close() }
    try waitForPrompt(terminal)
    #expect(try terminal.exitStatus() == nil)
    try terminal.send("exit 3\n")
    #expect(try terminal.waitForExit() == 3)
    #expect(try terminal.transcript().contains("exit 3"))  // the screen stays readable
  }

  @Test func ctrlDEndsTheProgram() throws {
    let terminal = try bash()
    defer { terminal.close() }
    try waitForPrompt(terminal)
    try terminal.sendKey(.ctrlD)
    #expect(try terminal.waitForExit() == 0)
  }

  @Test func timeoutErrorShowsTheScreen() throws {
    let terminal = try bash()
    defer { terminal.close() }
    try waitForPrompt(terminal)
    do {
      try terminal.waitFor("never printed", timeout: 0.3)
      Issue.record("waitFor should have timed out")
    } catch let error as PseudoTerminalError {
      #expect(String(describing: error).contains("ready$"))
    }
  }

  @Test func quotingKeepsWordsWhole() {
    #expect(PseudoTerminal.shellQuoted("it's a test") == "'it'\\''s a test'")
    #expect(PseudoTerminal.tidy("a  \nb\n\n\n") == "a\nb")
  }
}
