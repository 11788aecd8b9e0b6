// The read–eval–print loop. One loop serves the terminal, pipes, script files and `source`:
// lines are gathered until a statement is complete (brackets closed), parsed, run in the session,
// and their values printed. At the prompt an error is reported and the session goes on; in a
// script the first error stops it with `file:line:col: error: …`, the source line and a caret.

import Foundation
import PsychRNN
import RNNScript

/// How a run of input ended.
public enum ShellExit: Equatable, Sendable {
  /// Input ended (or `quit`) with no error.
  case finished
  /// `quit` was given.
  case quit
  /// A syntax (65) or runtime (70) error stopped a script.
  case failed(status: Int32)
  /// Ctrl-C stopped a script (130).
  case interrupted
}

/// The interpreter with its session, terminal and printer.
public final class Shell {
  public let session: Session
  public let terminal: Terminal
  /// Print each statement (with a prompt) before its output, like sqlite3's `-echo`.
  public var echo = false
  /// How deep `source` may nest.
  public let maxSourceDepth = 16
  private var sourceDepth = 0
  /// The line number of the source text's first line, less one, for `report` (see `runChunk`).
  private var lineOffset = 0
  private let progress: TrainingProgressView

  public init(session: Session = Session(), terminal: Terminal = Terminal()) {
    self.session = session
    self.terminal = terminal
    self.progress = TrainingProgressView(terminal: terminal)
    session.onTrainingEvent = { [progress] name, event in progress.handle(name, event) }
    session.isCancelled = { Interrupts.isRequested }
    session.onShow = { [unowned self] value in _ = self.show(value) }
  }

  static let prompt = "psychrnn> "
  static let continuationPrompt = "     ...> "

  /// Reads and runs everything from `reader`. Interactive readers survive errors; others stop at
  /// the first one. `file` names the input in messages (nil at the prompt).
  public func run(_ reader: inout some LineReader, file: String?) -> ShellExit {
    var chunk = StatementGatherer(), chunkStart = 1, line = 0
    while true {
      let prompt = chunk.isEmpty ? Shell.prompt : Shell.continuationPrompt
      switch reader.readLine(prompt: reader.isInteractive ? prompt : (echo ? prompt : "")) {
      case .endOfInput:
        if !chunk.isEmpty && Interrupts.terminationStatus == nil {
          let exit = runChunk(chunk.text, file: file, firstLine: chunkStart, interactive: reader.isInteractive)
          if exit != .finished { return exit }
        }
        return .finished
      case .interrupted:
        chunk.reset()
        Interrupts.reset()
        continue
      case .line(let text):
        line += 1
        if chunk.isEmpty { chunkStart = line }
        switch chunk.add(text) {
        case .needsMore: continue
        case .tooLong(let message):
          terminal.writeError(
            Diagnostic(location: SourceLocation(file: file, line: chunkStart, column: 1), message: message).description + "\n")
          if reader.isInteractive { continue }
          return .failed(status: 65)
        case .complete: break
        }
        let source = chunk.text
        chunk.reset()
        if reader.isInteractive { reader.recordStatement(source) }
        if source.allSatisfy(\.isWhitespace) { continue }
        // At the prompt each chunk counts from line 1; a script's chunks keep their line numbers.
        let exit = runChunk(
          source, file: file, firstLine: reader.isInteractive ? 1 : chunkStart, interactive: reader.isInteractive)
        switch exit {
        case .finished: continue
        case .failed where reader.isInteractive: continue
        case .interrupted where reader.isInteractive: Interrupts.reset(); continue
        default: return exit
        }
      }
    }
  }

  /// Runs a script held in memory (a file's contents or `-e` statements). The whole text is
  /// parsed first, so a syntax error anywhere stops it before any statement runs.
  public func run(script text: String, file: String?) -> ShellExit {
    let (statements, diagnostics) = Parser(source: text, file: file, commands: Commands.verbs).parse()
    if !diagnostics.isEmpty {
      for d in diagnostics { report(d, source: text) }
      return .failed(status: 65)
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var echoed = 0
    /// With --echo, the lines up to `last` as the prompt would have shown them.
    func echoLines(through last: Int, statementStart: Int?) {
      guard echo else { return }
      while echoed < min(last, lines.count) {
        let prompt = statementStart.map { echoed + 1 > $0 } == true ? Shell.continuationPrompt : Shell.prompt
        terminal.write(prompt + lines[echoed] + "\n")
        echoed += 1
      }
    }
    for parsed in statements {
      echoLines(through: parsed.range.start.line - 1, statementStart: nil)
      echoLines(through: parsed.range.end.line, statementStart: parsed.range.start.line)
      let exit = runStatement(parsed, source: text, interactive: false)
      if exit != .finished { return exit }
    }
    if echo && lines.last == "" {
      echoLines(through: lines.count - 1, statementStart: nil)
    } else {
      echoLines(through: lines.count, statementStart: nil)
    }
    return .finished
  }

  /// Parses and runs one complete chunk of source, whose first line is line `firstLine` of its
  /// input (the parser counts from there; no padding, so a long script costs linear time).
  func runChunk(_ source: String, file: String?, firstLine: Int, interactive: Bool) -> ShellExit {
    let origin = SourceLocation(file: file, line: firstLine, column: 1)
    let (statements, diagnostics) = Parser(source: source, file: file, commands: Commands.verbs, origin: origin).parse()
    let outerOffset = lineOffset
    lineOffset = firstLine - 1
    defer { lineOffset = outerOffset }
    if !diagnostics.isEmpty {
      for d in diagnostics { report(d, source: source) }
      return .failed(status: 65)
    }
    for parsed in statements {
      let exit = runStatement(parsed, source: source, interactive: interactive)
      if exit != .finished { return exit }
    }
    return .finished
  }

  /// Runs one statement; reports its error (with the call chain through functions, if any).
  private func runStatement(_ parsed: ParsedStatement, source: String, interactive: Bool) -> ShellExit {
    if Interrupts.isRequested && !interactive { return .interrupted }
    Interrupts.reset()
    do {
      let outcome = try session.execute(parsed)
      if case .show(let value) = outcome, let exit = show(value) { return exit }
    } catch let e as RuntimeError {
      let d = Diagnostic(
        location: e.location ?? parsed.statement.location, length: e.length,
        message: e.message, suggestion: e.suggestion)
      report(d, source: source, line: e.sourceLine)
      for frame in e.callChain { terminal.writeError("    in \(frame.function)(), called at \(frame.location)\n") }
      return .failed(status: 70)
    } catch is Interrupted {
      terminal.clearLine()
      terminal.writeError("interrupted: the loop stopped; everything done so far is kept\n")
      return .interrupted
    } catch is QuitRequested {
      return .quit
    } catch {
      report(Diagnostic(location: parsed.statement.location, message: "\(error)"), source: source)
      return .failed(status: 70)
    }
    if Interrupts.isRequested && !interactive { return .interrupted }
    return .finished
  }

  /// Prints a value; handles directives. Returns an exit when the statement ends the input.
  private func show(_ value: Value) -> ShellExit? {
    if case .directive(let d) = value {
      switch d {
      case .quit: return .quit
      case .source(let path): return source(path)
      case .saveHistory(let path): if let exit = saveHistory(path) { return exit }
      case .clearScreen: terminal.clearScreen()
      }
      return nil
    }
    let printer = Printer(width: terminal.width, colorMode: terminal.colorMode)
    let text = printer.render(value)
    if !text.isEmpty { terminal.write(text + "\n") }
    return nil
  }

  /// `source "file.rnn"`: runs the file in this session; its first error stops it.
  private func source(_ path: String) -> ShellExit? {
    guard sourceDepth < maxSourceDepth else {
      terminal.writeError("error: source is nested more than \(maxSourceDepth) deep (does \(path) source itself?)\n")
      return .failed(status: 70)
    }
    let text: String
    do {
      text = try ScriptFile.read(path)
    } catch {
      terminal.writeError("error: cannot read \(path): \(ScriptFile.reason(error))\n")
      return .failed(status: 66)
    }
    let outerOffset = lineOffset
    lineOffset = 0
    defer { lineOffset = outerOffset }
    sourceDepth += 1
    defer { sourceDepth -= 1 }
    let exit = run(script: text, file: path)
    return exit == .finished ? nil : exit
  }

  /// `history save "file.rnn"`: the statements that succeeded, as a script, written atomically;
  /// a failure names the reason and, in a script, stops it (70).
  private func saveHistory(_ path: String) -> ShellExit? {
    let text = "# psychrnn session, \(session.succeeded.count) statements\n" + session.historyScript
    do {
      try ScriptFile.write(text, to: path)
      terminal.write("saved \(session.succeeded.count) statements to \(path)\n")
      return nil
    } catch {
      terminal.writeError("error: cannot write \(path): \(ScriptFile.reason(error))\n")
      return .failed(status: 70)
    }
  }

  /// Writes a diagnostic with its source line (from `source`, or `line` when given) and caret
  /// to standard error.
  func report(_ d: Diagnostic, source: String, line: String? = nil) {
    terminal.writeError(d.render(sourceLine: line ?? sourceLine(d.location.line - lineOffset, in: source)) + "\n")
  }
}
