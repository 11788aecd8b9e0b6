// EditLineReader under a real terminal: Ctrl-C at the prompt, Tab completion, history across
// sessions, Ctrl-C during work and the double-Ctrl-C escape hatch.
//
// These tests need an interactive program that uses EditLineReader, and the package has no
// executable for that here. So the test binary plays the program itself: `lineReaderHost`
// below is a test disabled unless the environment variable PSYCHRNN_LINE_READER_HOST=1 is set;
// then it runs a tiny read-print loop. Each test starts
// this same binary again inside tmux (`--testing-library swift-testing --filter
// lineReaderHost`) and types at it.

import Foundation
import Testing

@testable import RNNShell

// MARK: - The host program

/// A tool, not a test: disabled in a normal run; with PSYCHRNN_LINE_READER_HOST=1 it is the
/// interactive program the tests below drive (and it ends the process itself).
@Test(.enabled(if: ProcessInfo.processInfo.environment["PSYCHRNN_LINE_READER_HOST"] == "1"))
func lineReaderHost() {
  LineReaderHost().run()
}

/// A read-print loop over EditLineReader. Commands: `busy` (waits for Ctrl-C, polling the
/// flag), `spin` (works without polling: only the escape hatch stops it); anything else is
/// echoed back as `line: [text]`.
private struct LineReaderHost {
  let output = FileOutput.standardOutput
  let reader = EditLineReader()

  func run() -> Never {
    reader.completer = { _, _, _ in ["train", "trace", "simulate", "ünïcode"] }
    output.write("host ready\n")
    while true {
      let result = reader.readLine(prompt: "\u{1B}[1mhost>\u{1B}[0m ")  // escapes: markers needed
      if let warning = reader.takeHistoryWarning() { output.write(warning + "\n") }
      switch result {
      case .line("busy"): busy()
      case .line("spin"): spin()
      case .line(let text): output.write("line: [\(text)]\n")
      case .interrupted: output.write("interrupted\n")
      case .endOfInput:
        output.write("end of input\n")
        exit(0)
      }
    }
  }

  /// Long work that polls the flag, as training does between batches.
  private func busy() {
    output.write("busy: press Ctrl-C\n")
    let deadline = Date().addingTimeInterval(20)
    while !Interrupts.isRequested && Date() < deadline { usleep(10_000) }
    output.write(Interrupts.isRequested ? "stopped cleanly\n" : "busy timed out\n")
    Interrupts.reset()
  }

  /// Long work that never polls.
  private func spin() -> Never {
    output.write("spinning\n")
    let deadline = Date().addingTimeInterval(20)
    while Date() < deadline {}
    output.write("spin timed out\n")
    exit(1)
  }
}

// MARK: - The tests

@Suite(.serialized)
struct LineReaderPseudoTerminalTests {
  /// Starts the host in a terminal, with `historyPath` ("" for no history file).
  private func startHost(
    history historyPath: String = "", workingDirectory: String? = nil
  )
    throws -> PseudoTerminal
  {
    let binary = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    let terminal = try PseudoTerminal(
      command: [binary, "--testing-library", "swift-testing", "--filter", "lineReaderHost"],
      environment: ["PSYCHRNN_LINE_READER_HOST": "1", "PSYCHRNN_HISTORY": historyPath],
      workingDirectory: workingDirectory)
    try terminal.waitFor("host> ", timeout: 30)
    return terminal
  }

  /// The screen's rows from the first prompt on (the test runner prints its banner first).
  private func session(_ screen: String) -> [String] {
    let rows = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    return Array(rows.drop { !$0.hasPrefix("host>") })
  }

  @Test func ctrlCAtThePromptDiscardsTheTypedText() throws {
    let terminal = try startHost()
    defer { terminal.close() }
    try terminal.send("half typed")
    try terminal.waitFor("host> half typed")
    try terminal.sendKey(.ctrlC)
    try terminal.waitFor("interrupted")
    try terminal.send("next\n")
    let screen = try terminal.waitFor("line: [next]")
    #expect(session(screen) == ["host> half typed^C", "interrupted", "host> next", "line: [next]", "host>"])
    #expect(try terminal.exitStatus() == nil)
  }

  @Test func ctrlCWithTheCursorInsideTheTextLeavesTheTextWhole() throws {
    let terminal = try startHost()
    defer { terminal.close() }
    try terminal.send("abcdef")
    try terminal.sendKey(.left, count: 3)
    try terminal.waitFor("host> abcdef")
    try terminal.sendKey(.ctrlC)
    let screen = try terminal.waitFor("interrupted")
    #expect(session(screen).prefix(2) == ["host> abcdef^C", "interrupted"])
  }

  @Test func quickCtrlCsAtThePromptNeverEndTheSession() throws {
    let terminal = try startHost()
    defer { terminal.close() }
    try terminal.sendKey(.ctrlC)
    try terminal.sendKey(.ctrlC)
    try terminal.sendKey(.ctrlC)
    try terminal.waitFor("interrupted")
    try terminal.send("still here\n")
    try terminal.waitFor("line: [still here]")
    #expect(try terminal.exitStatus() == nil)
  }

  @Test func tabCompletesFromTheShellsWords() throws {
    let terminal = try startHost()
    defer { terminal.close() }
    try terminal.send("tr\t")
    try terminal.waitFor("host> tra")  // the common prefix of trace and train
    try terminal.send("\t")
    try terminal.waitFor("trace  train")  // a second Tab lists them
    try terminal.send("in\n")
    try terminal.waitFor("line: [train]")
    try terminal.send("ün\t\n")
    try terminal.waitFor("line: [ünïcode ]")  // one match: completed, then a space
  }

  @Test func tabInsideAStringCompletesFileNames() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("psychrnn-completion-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    _ = FileManager.default.createFile(atPath: folder.appendingPathComponent("perceptual.rnn").path, contents: Data())
    let terminal = try startHost(workingDirectory: folder.path)
    defer { terminal.close() }
    try terminal.send("source \"perc\t")
    try terminal.waitFor("host> source \"perceptual.rnn")
    try terminal.send("tr\t")  // the shell's words do not apply inside the string
    Thread.sleep(forTimeInterval: 0.3)
    #expect(!(try terminal.screen()).contains("train"))
  }

  @Test func historyIsKeptAcrossSessions() throws {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("psychrnn-pty-history-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let first = try startHost(history: path)
    try first.send("first\nsecond\nsecond\n   \n")
    try first.waitFor("line: [   ]")
    try first.sendKey(.ctrlD)
    #expect(try first.waitForExit() == 0)
    first.close()

    let second = try startHost(history: path)
    defer { second.close() }
    try second.sendKey(.up)
    try second.waitFor("host> second")
    try second.sendKey(.up)  // "second" was stored once, blank lines not at all
    try second.waitFor("host> first")
    try second.send("\n")
    try second.waitFor("line: [first]")
  }

  @Test func anUnwritableHistoryGivesOneWarning() throws {
    let terminal = try startHost(history: "/nonexistent-\(getpid())/history")
    defer { terminal.close() }
    try terminal.send("a\nb\n")
    let screen = try terminal.waitFor("line: [b]")
    #expect(screen.components(separatedBy: "warning: could not save the history").count == 2)
  }

  @Test func ctrlCDuringWorkStopsItCleanly() throws {
    let terminal = try startHost()
    defer { terminal.close() }
    try terminal.send("busy\n")
    try terminal.waitFor("busy: press Ctrl-C")
    try terminal.sendKey(.ctrlC)
    try terminal.waitFor("stopped cleanly")
    try terminal.send("after\n")
    try terminal.waitFor("line: [after]")
    #expect(try terminal.exitStatus() == nil)
  }

  @Test func secondQuickCtrlCEndsWorkThatNeverPolls() throws {
    let terminal = try startHost()
    defer { terminal.close() }
    try terminal.send("spin\n")
    try terminal.waitFor("spinning")
    try terminal.sendKey(.ctrlC)
    // Ordinary signals do not queue: two SIGINTs arriving before the handler has run count as
    // one. Leave the first time to be handled, well inside the one-second escape window.
    usleep(200_000)
    try terminal.sendKey(.ctrlC)
    #expect(try terminal.waitForExit() == Interrupts.escapeExitStatus)
  }

  @Test func ctrlDEndsInputOnAFreshLine() throws {
    let terminal = try startHost()
    defer { terminal.close() }
    try terminal.sendKey(.ctrlD)
    #expect(try terminal.waitForExit() == 0)
    #expect(session(try terminal.screen()).prefix(2) == ["host> ^D", "end of input"])
  }
}
