// The shell's I/O edge in-process: plain readers on strings and pipes, prompt markers, history
// rules, completion plumbing (down to the C callback libedit calls), UTF-8 input decoding, the
// terminal's width/colour/live line, and the Ctrl-C flag. The real-terminal behaviour is in
// LineReaderPseudoTerminalTests.swift.

import Foundation
import Testing

@testable import RNNShell
@testable import TermPlot

// MARK: - Helpers

/// A pipe whose write end stands for stdout; `drain()` returns what was written.
private final class CapturedOutput {
  let readEnd: Int32
  let output: FileOutput

  init() {
    var ends: [Int32] = [0, 0]
    precondition(pipe(&ends) == 0)
    readEnd = ends[0]
    output = FileOutput(fileDescriptor: ends[1])
  }

  /// Closes the write end and returns everything written.
  func drain() -> String {
    close(output.fileDescriptor)
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
      guard count > 0 else { break }
      bytes += chunk[..<count]
    }
    close(readEnd)
    return String(decoding: bytes, as: UTF8.self)
  }
}

/// All lines a reader gives until the end of input.
private func allLines(_ reader: inout some LineReader) -> [String] {
  var lines: [String] = []
  while case .line(let line) = reader.readLine(prompt: "> ") { lines.append(line) }
  return lines
}

/// A fresh path in the temporary folder (the file does not exist yet).
private func temporaryPath(_ name: String) -> String {
  FileManager.default.temporaryDirectory
    .appendingPathComponent("psychrnn-\(getpid())-\(UUID().uuidString)-\(name)").path
}

// MARK: - PlainLineReader

@Test func plainReaderSplitsTextIntoLines() {
  var reader = PlainLineReader(text: "train n pd\n\n# comment\r\nlast without newline")
  #expect(!reader.isInteractive)
  #expect(allLines(&reader) == ["train n pd", "", "# comment", "last without newline"])
  #expect(reader.lineNumber == 4)
  #expect(reader.readLine(prompt: "") == .endOfInput)
}

@Test func plainReaderEndsWithoutAnExtraEmptyLine() {
  var reader = PlainLineReader(text: "a\nb\n")
  #expect(allLines(&reader) == ["a", "b"])
  var empty = PlainLineReader(text: "")
  #expect(empty.readLine(prompt: "> ") == .endOfInput)
  var blank = PlainLineReader(text: "\n")
  #expect(allLines(&blank) == [""])
}

@Test func plainReaderReadsADescriptorAcrossChunks() throws {
  var ends: [Int32] = [0, 0]
  #expect(pipe(&ends) == 0)
  let long = String(repeating: "x", count: 70_000)  // longer than one 64 KiB read
  let text = "first\r\n\(long)\nbad \u{FF}byte\nno newline"
  var bytes = Array(text.utf8)
  bytes[bytes.firstIndex(of: 0xC3)!] = 0xFF  // make the "ÿ" an invalid lone byte
  bytes.remove(at: bytes.firstIndex(of: 0xBF)!)
  let (input, writeEnd) = (bytes, ends[1])
  let writer = Thread {  // a pipe holds 64 KiB: write from another thread while we read
    input.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = write(writeEnd, buffer.baseAddress! + offset, buffer.count - offset)
        guard written > 0 else { break }
        offset += written
      }
    }
    close(writeEnd)
  }
  writer.start()
  var reader = PlainLineReader(fileDescriptor: ends[0])
  let lines = allLines(&reader)
  close(ends[0])
  #expect(lines == ["first", long, "bad \u{FFFD}byte", "no newline"])
}

@Test func plainReaderReadsAFile() throws {
  let path = temporaryPath("script.rnn")
  defer { try? FileManager.default.removeItem(atPath: path) }
  try "net = basic()\r\ntrain net\n".write(toFile: path, atomically: true, encoding: .utf8)
  var reader = try PlainLineReader(contentsOfFile: path)
  #expect(allLines(&reader) == ["net = basic()", "train net"])
  #expect(throws: (any Error).self) { try PlainLineReader(contentsOfFile: path + ".missing") }
}

@Test func plainReaderEchoesPromptAndLineOnlyWhenAsked() {
  let captured = CapturedOutput()
  var echoing = PlainLineReader(text: "a\nb", echoPrompt: true, echoOutput: captured.output)
  _ = allLines(&echoing)
  var quiet = PlainLineReader(text: "c", echoOutput: captured.output)
  _ = allLines(&quiet)
  #expect(captured.drain() == "> a\n> b\n")
}

@Test func echoedPromptsLoseTheirMarkers() {
  let captured = CapturedOutput()
  let prompt = PromptText.markingEscapes("\u{1B}[1mrnn>\u{1B}[0m ")
  var reader = PlainLineReader(text: "x", echoPrompt: true, echoOutput: captured.output)
  _ = reader.readLine(prompt: prompt)
  #expect(captured.drain() == "\u{1B}[1mrnn>\u{1B}[0m x\n")
}

// MARK: - Prompt markers

@Test func escapesInPromptsAreMarkedInvisible() {
  let prompt = "\u{1B}[38;5;33mpsychrnn\u{1B}[0m> "
  let marked = PromptText.markingEscapes(prompt)
  #expect(marked == "\u{01}\u{1B}[38;5;33m\u{02}psychrnn\u{01}\u{1B}[0m\u{02}> ")
  #expect(PromptText.removingMarkers(marked) == prompt)
  #expect(PromptText.markingEscapes("plain> ") == "plain> ")
  #expect(PromptText.markingEscapes(marked) == marked)  // already marked: unchanged
}

// MARK: - History rules

@Test func historyFileComesFromTheEnvironment() {
  // The paths are only computed, never opened: any names show the rule.
  let tmp = FileManager.default.temporaryDirectory.path
  let (file, home, other) = (tmp + "/h", tmp + "/home-a", tmp + "/home-b")
  #expect(HistoryPolicy.filePath(environment: ["PSYCHRNN_HISTORY": file, "HOME": home]) == file)
  #expect(HistoryPolicy.filePath(environment: ["PSYCHRNN_HISTORY": "", "HOME": home]) == nil)
  #expect(HistoryPolicy.filePath(environment: ["HOME": home]) == home + "/.psychrnn_history")
  #expect(HistoryPolicy.filePath(environment: ["HOME": "/"]) == "/.psychrnn_history")
  #expect(HistoryPolicy.filePath(environment: [:], homeDirectory: other) == other + "/.psychrnn_history")
  #expect(HistoryPolicy.filePath(environment: [:]) == nil)
}

@Test func historySkipsBlankLinesAndImmediateRepeats() {
  #expect(HistoryPolicy.shouldRecord("train n pd", after: nil))
  #expect(!HistoryPolicy.shouldRecord("train n pd", after: "train n pd"))
  #expect(HistoryPolicy.shouldRecord("train n pd", after: "plot n"))
  #expect(!HistoryPolicy.shouldRecord("", after: nil))
  #expect(!HistoryPolicy.shouldRecord("  \t", after: "x"))
}

// MARK: - Completion (pure parts)

@Test func completionEntriesStartWithTheCommonPrefix() {
  #expect(Completion.entries(word: "tr", candidates: ["train", "trace", "simulate"]) == ["tra", "trace", "train"])
  #expect(Completion.entries(word: "si", candidates: ["simulate"]) == ["simulate", "simulate"])
  #expect(Completion.entries(word: "t", candidates: ["train", "train", "tasks"]) == ["t", "tasks", "train"])
  #expect(Completion.entries(word: "x", candidates: ["train"]).isEmpty)
  #expect(Completion.entries(word: "", candidates: ["b", "a"]) == ["", "a", "b"])
  #expect(Completion.commonPrefix("ünïcode", "ünïform") == "ünï")
}

@Test func completionKnowsWhenTheWordIsInAString() {
  let line = #"source "Examples/he"#
  #expect(Completion.isInsideString(line, scalarOffset: 8))
  #expect(!Completion.isInsideString("train n", scalarOffset: 6))
  #expect(!Completion.isInsideString(#"print "a" x"#, scalarOffset: 10))
  #expect(Completion.isInsideString(#"print "a\"b c"#, scalarOffset: 12))  // escaped quote
}

@Test func completionOffsetsCountCharacters() {
  // libedit counts wide characters (scalars); "é" written as e + combining accent is two.
  let line = "e\u{301}t tr"
  #expect(Completion.characterOffset(ofScalarOffset: 4, in: line) == 3)
  #expect(Completion.characterOffset(ofScalarOffset: 0, in: line) == 0)
}

@Test func completionArrayIsNullTerminatedAndOwnedByTheCaller() throws {
  let array = try #require(Completion.cArray(["tra", "trace", "train"]))
  #expect(String(cString: array[0]!) == "tra")
  #expect(String(cString: array[2]!) == "train")
  #expect(array[3] == nil)
  for index in 0..<3 { free(array[index]) }
  free(array)
  #expect(Completion.cArray([]) == nil)
}

// MARK: - UTF-8 input decoding

@Test func inputDecoderReturnsCodePoints() {
  func decode(_ bytes: [UInt8]) -> Int32 {
    var rest = bytes.dropFirst().makeIterator()
    return decodeUTF8(lead: bytes[0]) { rest.next() }
  }
  #expect(decode(Array("é".utf8)) == 0xE9)
  #expect(decode(Array("€".utf8)) == 0x20AC)
  #expect(decode(Array("🧠".utf8)) == 0x1F9E0)
  #expect(decode([0xFF]) == 0xFFFD)  // never a lead byte
  #expect(decode([0xE2, 0x28, 0xA1]) == 0xFFFD)  // bad continuation
  #expect(decode([0xE2, 0x82]) == -1)  // input ended inside the character
}

// MARK: - Terminal

@Test func widthFallsBackToColumnsThenEighty() {
  let piped = Terminal(environment: ["COLUMNS": "132"], inputIsTerminal: false, outputIsTerminal: false)
  #expect(piped.width == 132)
  let bare = Terminal(environment: [:], inputIsTerminal: false, outputIsTerminal: false)
  #expect(bare.width == 80)
}

@Test func colourFollowsThePolicy() {
  let tty = ["TERM": "xterm-256color"]
  #expect(Terminal(environment: tty, inputIsTerminal: true, outputIsTerminal: true).colorMode == .ansi256)
  #expect(Terminal(environment: tty, inputIsTerminal: true, outputIsTerminal: false).colorMode == .none)
  let noColor = tty.merging(["NO_COLOR": "1"]) { $1 }
  #expect(Terminal(environment: noColor, inputIsTerminal: true, outputIsTerminal: true).colorMode == .none)
}

@Test func liveLineRedrawsInPlaceOnATerminal() {
  let captured = CapturedOutput()
  let terminal = Terminal(
    environment: ["COLUMNS": "20"], inputIsTerminal: true, outputIsTerminal: true,
    output: captured.output)
  terminal.redrawLine("iteration 1")
  terminal.redrawLine("iteration 2 of a very long run")  // cut to 19 columns
  terminal.write("done\n")  // ends the live line first
  terminal.finishLine()  // nothing shown: writes nothing
  #expect(captured.drain() == "\riteration 1\u{1B}[K\riteration 2 of a ve\u{1B}[K\ndone\n")
}

@Test func liveLineIsSilentIntoAPipe() {
  let captured = CapturedOutput()
  let terminal = Terminal(
    environment: [:], inputIsTerminal: false, outputIsTerminal: false, output: captured.output)
  terminal.redrawLine("iteration 1")
  terminal.finishLine()
  terminal.write("summary\n")
  #expect(captured.drain() == "summary\n")
}

@Test func liveLineCanBeErased() {
  let captured = CapturedOutput()
  let terminal = Terminal(environment: [:], inputIsTerminal: true, outputIsTerminal: true, output: captured.output)
  terminal.redrawLine("busy")
  terminal.clearLine()
  terminal.write("x")
  #expect(captured.drain() == "\rbusy\u{1B}[K\r\u{1B}[Kx")
}

@Test func fittedTextNeverWraps() {
  #expect(Terminal.fitted("abcdef", width: 5) == "abcd")
  #expect(Terminal.fitted("abc", width: 5) == "abc")
  #expect(Terminal.fitted("\u{1B}[1mabcdef\u{1B}[0m", width: 5) == "\u{1B}[1mabcdef\u{1B}[0m")
}

// MARK: - Ctrl-C decisions (pure)

@Test func secondQuickCtrlCExitsOnlyAwayFromThePrompt() {
  let quick = Interrupts.escapeWindowNanoseconds / 2
  let slow = Interrupts.escapeWindowNanoseconds * 2
  #expect(Interrupts.action(alreadyRequested: false, atPrompt: false, nanosecondsSincePrevious: quick) == .request)
  #expect(Interrupts.action(alreadyRequested: true, atPrompt: false, nanosecondsSincePrevious: quick) == .exitNow)
  #expect(Interrupts.action(alreadyRequested: true, atPrompt: false, nanosecondsSincePrevious: slow) == .request)
  #expect(Interrupts.action(alreadyRequested: true, atPrompt: true, nanosecondsSincePrevious: quick) == .request)
}

// MARK: - Process-wide state: libedit's globals, SIGINT, standard input (one test at a time)

@Suite(.serialized) struct ProcessWideLineReaderTests {
  @Test func sigintSetsTheFlagAndResetClearsIt() {
    Interrupts.install()
    Interrupts.reset()
    #expect(!Interrupts.isRequested)
    raiseUnblocked(SIGINT)  // a single press with the flag down: never the escape hatch
    #expect(Interrupts.isRequested)
    Interrupts.reset()
    #expect(!Interrupts.isRequested)
    Interrupts.request()
    #expect(Interrupts.isRequested)
    Interrupts.reset()
  }

  @Test func historyRoundTripsThroughTheFile() throws {
    let path = temporaryPath("history")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let first = EditLineReader(historyPath: path)
    for line in ["train n pd", "train n pd", "   ", "plot n", "seed = 3 # é"] { first.record(line) }
    #expect(first.historyEntries == ["train n pd", "plot n", "seed = 3 # é"])
    #expect(first.takeHistoryWarning() == nil)
    let saved = try String(contentsOfFile: path, encoding: .utf8)
    #expect(saved.hasPrefix("_HiStOrY_V2_\n"))

    let second = EditLineReader(historyPath: path)
    #expect(second.historyEntries == ["train n pd", "plot n", "seed = 3 # é"])
    second.record("seed = 3 # é")  // repeats the newest loaded entry: skipped
    #expect(second.historyEntries.count == 3)
    #expect(second.takeHistoryWarning() == nil)
  }

  @Test func historyKeepsTheNewestEntriesUpToTheLimit() throws {
    let path = temporaryPath("limited")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let reader = EditLineReader(historyPath: path, historyLimit: 3)
    for number in 1...5 { reader.record("line \(number)") }
    #expect(reader.historyEntries == ["line 3", "line 4", "line 5"])
    let reloaded = EditLineReader(historyPath: path, historyLimit: 3)
    #expect(reloaded.historyEntries == ["line 3", "line 4", "line 5"])
    let larger = EditLineReader(historyPath: path, historyLimit: 2)  // a smaller limit cuts on load
    #expect(larger.historyEntries == ["line 4", "line 5"])
  }

  @Test func unreadableHistoryIsLeftAloneWithOneWarning() throws {
    let path = temporaryPath("corrupt")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let garbage = Data([0x00, 0xFF, 0x0A, 0x41, 0x42, 0x0A])
    try garbage.write(to: URL(fileURLWithPath: path))
    let reader = EditLineReader(historyPath: path)
    let warning = try #require(reader.takeHistoryWarning())
    #expect(warning.hasPrefix("warning: could not read the history file"))
    #expect(reader.takeHistoryWarning() == nil)  // only once
    #expect(reader.historyEntries.isEmpty)
    reader.record("train n pd")
    #expect(reader.historyEntries == ["train n pd"])  // kept in memory
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == garbage)  // file untouched
  }

  @Test func historyThatCannotBeSavedWarnsOnce() throws {
    let missing = FileManager.default.temporaryDirectory.appendingPathComponent("nonexistent-folder-\(getpid())").path
    let reader = EditLineReader(historyPath: missing + "/history")
    #expect(reader.takeHistoryWarning() == nil)  // missing file: nothing to load yet
    reader.record("a")
    let warning = try #require(reader.takeHistoryWarning())
    #expect(warning.contains("could not save the history"))
    reader.record("b")
    #expect(reader.takeHistoryWarning() == nil)
    #expect(reader.historyEntries == ["a", "b"])
    #expect(reader.historyPath == nil)
  }

  @Test func aFolderIsNotAHistoryFile() throws {
    let folder = temporaryPath("folder")
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let reader = EditLineReader(historyPath: folder)
    reader.record("a")
    #expect(reader.takeHistoryWarning() != nil)
  }

  @Test func anEmptyHistoryFileIsFine() throws {
    let path = temporaryPath("empty")
    defer { try? FileManager.default.removeItem(atPath: path) }
    _ = FileManager.default.createFile(atPath: path, contents: Data())
    let reader = EditLineReader(historyPath: path)
    #expect(reader.takeHistoryWarning() == nil)
    reader.record("a")
    #expect(reader.takeHistoryWarning() == nil)
    #expect(EditLineReader(historyPath: path).historyEntries == ["a"])
  }

  @Test func theCCallbackReachesTheSwiftCompleter() throws {
    let reader = EditLineReader(historyPath: nil)
    final class Calls { var seen: [String] = [] }
    let calls = Calls()
    reader.completer = { line, start, word in
      calls.seen.append("\(line)|\(start)|\(word)")
      return ["train", "trace", "tasks"]
    }
    defer { reader.completer = nil }
    let result = try #require("tr".withCString { completeWord($0, 0, 2) })
    var entries: [String] = []
    var index = 0
    while let entry = result[index] {
      entries.append(String(cString: entry))
      free(entry)
      index += 1
    }
    free(result)
    #expect(entries == ["tra", "trace", "train"])
    #expect(calls.seen == ["|0|tr"])  // no line is being edited here
    reader.completer = nil
    #expect("tr".withCString { completeWord($0, 0, 2) } == nil)
  }

  @Test func readsLinesFromAPipeOnStandardInput() throws {
    try withStandardInput("hello\nwörld\n") {
      let reader = EditLineReader(historyPath: nil)
      #expect(reader.readLine(prompt: "") == .line("hello"))
      #expect(reader.readLine(prompt: "") == .line("wörld"))
      #expect(reader.readLine(prompt: "") == .endOfInput)
      #expect(reader.historyEntries.suffix(2) == ["hello", "wörld"])
    }
  }

  @Test func ctrlCWhileWaitingGivesInterrupted() throws {
    try withStandardInput(nil) {
      let reader = EditLineReader(historyPath: nil)
      let presser = Thread {
        Thread.sleep(forTimeInterval: 0.3)
        Interrupts.request()  // what the SIGINT handler does
      }
      presser.start()
      #expect(reader.readLine(prompt: "") == .interrupted)
      #expect(!Interrupts.isRequested)  // the reader took the flag down
    }
  }

  /// Raises `signal` in this thread with it unblocked. Test bodies run on Dispatch worker
  /// threads, which block most signals (the main thread does not, so in the real program the
  /// handler runs there).
  private func raiseUnblocked(_ signal: Int32) {
    var unblock = sigset_t()
    var previous = sigset_t()
    sigemptyset(&unblock)
    sigaddset(&unblock, signal)
    pthread_sigmask(SIG_UNBLOCK, &unblock, &previous)
    raise(signal)
    pthread_sigmask(SIG_SETMASK, &previous, nil)
  }

  /// Runs `body` with standard input replaced by a pipe holding `text` (kept open, i.e. no end
  /// of input, when `text` is nil).
  private func withStandardInput(_ text: String?, _ body: () throws -> Void) throws {
    var ends: [Int32] = [0, 0]
    try #require(pipe(&ends) == 0)
    let saved = dup(STDIN_FILENO)
    dup2(ends[0], STDIN_FILENO)
    close(ends[0])
    if let text {
      _ = text.withCString { write(ends[1], $0, strlen($0)) }
      close(ends[1])
    }
    defer {
      if text == nil { close(ends[1]) }
      dup2(saved, STDIN_FILENO)
      close(saved)
    }
    try body()
  }
}
