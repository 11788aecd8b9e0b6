// The terminal the shell runs in: whether stdin and stdout are terminals, how wide the screen
// is, how much colour to use, and one live "progress" line that redraws itself in place.
//
// All output goes through `FileOutput`: unbuffered `write(2)` calls on a file descriptor, so
// text appears at once and in order, with no stdio buffer in between (and no use of the C
// `stdout` global, which Swift 6 rejects as shared mutable state). Do not mix it with `print()`
// without `to:`: `print` goes through stdio's buffer, and into a pipe its text would come out
// late, after everything written here.
//
// The policies themselves are TermPlot's pure functions (`terminalWidth`, `ColorMode.detect`);
// this file only measures what they need.

import Foundation
import Glibc
import TermPlot

/// Unbuffered text output to a file descriptor; use with `print(_:to:)` or `write(_:)`.
public struct FileOutput: TextOutputStream, Sendable {
  /// The descriptor written to (1 for standard output, 2 for standard error).
  public let fileDescriptor: Int32
  /// Whether a failed write asks the process to end (`Interrupts.requestTermination`): true for
  /// standard output, whose text would otherwise be lost under an exit status of 0.
  public let failureEndsProcess: Bool

  /// Output to `fileDescriptor`, which the caller keeps open.
  public init(fileDescriptor: Int32, failureEndsProcess: Bool = false) {
    self.fileDescriptor = fileDescriptor
    self.failureEndsProcess = failureEndsProcess
  }

  /// Standard output (descriptor 1); a failed write ends the process (see `write`).
  public static let standardOutput = FileOutput(fileDescriptor: STDOUT_FILENO, failureEndsProcess: true)
  /// Standard error (descriptor 2).
  public static let standardError = FileOutput(fileDescriptor: STDERR_FILENO)

  /// Writes `string` as UTF-8, all of it, retrying after EINTR. On another error the rest is
  /// dropped; for standard output the error is not silent: EPIPE (the reader went away; SIGPIPE
  /// is ignored) asks the process to end with 141, anything else (a closed descriptor, a full
  /// disk, EIO) with 74, through `Interrupts.requestTermination`: the statement running stops at
  /// its next poll, nothing more runs, and `psychrnn` exits with that status. Later writes are
  /// dropped at once.
  public func write(_ string: String) {
    if failureEndsProcess && Interrupts.outputFailed { return }
    var text = string
    text.withUTF8 { bytes in
      var offset = 0
      while offset < bytes.count {
        let written = Glibc.write(fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
        if written > 0 {
          offset += written
        } else if written < 0 && errno == EINTR {
          continue
        } else {
          if failureEndsProcess { Interrupts.outputFailed(errno: written < 0 ? errno : EIO) }
          return
        }
      }
    }
  }
}

/// The terminal (or pipe) the shell talks to. One instance serves the whole session.
public final class Terminal {
  /// Whether standard input is a terminal (then the shell edits lines with `EditLineReader`).
  public let inputIsTerminal: Bool
  /// Whether the output is a terminal (then the live line may redraw itself).
  public let outputIsTerminal: Bool
  /// How much colour rendered text may use; the shell may change it (e.g. a `color off` command).
  public var colorMode: ColorMode
  /// Where normal output goes.
  public let output: FileOutput
  /// Where errors and warnings go.
  public let errorOutput: FileOutput

  /// The environment the width and colour policies read (`COLUMNS`, `NO_COLOR`, …).
  private let environment: [String: String]
  /// Whether a live line is on screen with the cursor at its end (no newline after it yet).
  private var liveLineIsShown = false

  /// The process's own terminal: standard input and output, and the process environment.
  public convenience init() {
    self.init(
      environment: ProcessInfo.processInfo.environment,
      inputIsTerminal: isatty(STDIN_FILENO) == 1,
      outputIsTerminal: isatty(STDOUT_FILENO) == 1)
  }

  /// A terminal described explicitly (tests use this to stand for a pipe or a terminal).
  public init(
    environment: [String: String], inputIsTerminal: Bool, outputIsTerminal: Bool,
    output: FileOutput = .standardOutput, errorOutput: FileOutput = .standardError
  ) {
    self.environment = environment
    self.inputIsTerminal = inputIsTerminal
    self.outputIsTerminal = outputIsTerminal
    self.colorMode = ColorMode.detect(environment: environment, isTerminal: outputIsTerminal)
    self.output = output
    self.errorOutput = errorOutput
  }

  /// The number of columns to draw at, measured again on every call so that a resized window
  /// is noticed: the terminal's width, else `COLUMNS`, else 80.
  public var width: Int {
    let measured = outputIsTerminal ? Terminal.measuredWidth(of: output.fileDescriptor) : nil
    return terminalWidth(environment: environment, measured: measured)
  }

  /// The width of the terminal behind `fileDescriptor` (ioctl TIOCGWINSZ), or nil.
  static func measuredWidth(of fileDescriptor: Int32) -> Int? {
    var size = winsize()
    guard ioctl(fileDescriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
    return Int(size.ws_col)
  }

  // MARK: - Writing

  /// Writes `text` to the output, first ending a live line so that the two never mix.
  public func write(_ text: String) {
    finishLine()
    output.write(text)
  }

  /// Writes `text` to the error output, first ending a live line.
  public func writeError(_ text: String) {
    finishLine()
    errorOutput.write(text)
  }

  // MARK: - The live line

  /// Replaces the live line with `text` (e.g. "iteration 1200/5000  loss 0.0213"): carriage
  /// return, the text cut to fit the width, then clear-to-end-of-line. Only on a terminal; into a
  /// file or pipe it writes nothing (report a summary with `write` instead).
  public func redrawLine(_ text: String) {
    guard outputIsTerminal else { return }
    output.write("\r" + Terminal.fitted(text, width: width) + "\u{1B}[K")
    liveLineIsShown = true
  }

  /// Leaves the live line on screen and moves below it (a newline), if one is shown.
  public func finishLine() {
    guard liveLineIsShown else { return }
    output.write("\n")
    liveLineIsShown = false
  }

  /// Erases the live line, if one is shown, leaving the cursor at the start of the empty line.
  public func clearLine() {
    guard liveLineIsShown else { return }
    output.write("\r\u{1B}[K")
    liveLineIsShown = false
  }

  /// `clear`: on a terminal, clears the screen and puts the cursor at the top; elsewhere nothing.
  public func clearScreen() {
    guard outputIsTerminal else { return }
    output.write("\u{1B}[H\u{1B}[2J")
  }

  /// `text` cut to `width - 1` columns so that it never wraps (a wrapped line cannot be redrawn
  /// with a carriage return). Text with escape sequences is left whole: cutting it could split
  /// an escape; keep coloured live lines short.
  static func fitted(_ text: String, width: Int) -> String {
    guard !text.contains("\u{1B}") else { return text }
    let limit = max(width - 1, 1)
    return text.count <= limit ? text : String(text.prefix(limit))
  }
}
