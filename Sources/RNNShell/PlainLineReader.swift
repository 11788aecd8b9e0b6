// Lines from a file, a pipe or a string, without line editing (no libedit at all).
//
// Used for everything that is not a person at a terminal: `psychrnn < session.rnn`,
// `cat x.rnn | psychrnn`, `psychrnn script.rnn`, `source "other.rnn"`, and the tests.
// It never shows a prompt unless asked to (`echoPrompt`): then, after reading each line, it
// writes the prompt and the line, so that the output reads like a transcript of a session
// (the model of sqlite3's `-echo`).
//
// Lines end at "\n"; a "\r" before it is dropped (files written on Windows); a last line
// without a newline still counts. Bytes that are not valid UTF-8 become U+FFFD.

import Foundation
import Glibc

/// Reads lines from a file descriptor or an in-memory string; never interactive.
public struct PlainLineReader: LineReader {
  /// Always false: nobody is typing.
  public var isInteractive: Bool { false }
  /// Whether to echo the prompt and each line read (see the file comment).
  public var echoPrompt: Bool
  /// The number of lines read so far, i.e. the line number of the last line returned
  /// (for messages such as `script.rnn:12: …`).
  public private(set) var lineNumber = 0

  /// Where the lines come from.
  private var source: Source
  /// Where echoed prompts and lines go.
  private let echoOutput: FileOutput

  private enum Source {
    /// The lines of a string, and the index of the next one.
    case text(lines: [Substring], next: Int)
    /// A descriptor, with the bytes read but not yet returned.
    case descriptor(Int32, pending: [UInt8], atEnd: Bool)
  }

  /// Lines from `text` (a script held in memory).
  public init(text: String, echoPrompt: Bool = false, echoOutput: FileOutput = .standardOutput) {
    // "\r\n" is a single Character in Swift, so both line ends are listed.
    var lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
    if lines.last == "" { lines.removeLast() }  // text ending in "\n" has no extra empty line
    self.source = .text(lines: lines, next: 0)
    self.echoPrompt = echoPrompt
    self.echoOutput = echoOutput
  }

  /// Lines of the file at `path` (for `source "file.rnn"`), read whole now; throws the
  /// file system's error if it cannot be read. Invalid UTF-8 becomes U+FFFD.
  public init(
    contentsOfFile path: String, echoPrompt: Bool = false, echoOutput: FileOutput = .standardOutput
  ) throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    let text = String(decoding: data, as: UTF8.self)
    self.init(text: text, echoPrompt: echoPrompt, echoOutput: echoOutput)
  }

  /// Lines from an open file descriptor, standard input by default. The caller keeps it open.
  public init(
    fileDescriptor: Int32 = STDIN_FILENO, echoPrompt: Bool = false,
    echoOutput: FileOutput = .standardOutput
  ) {
    self.source = .descriptor(fileDescriptor, pending: [], atEnd: false)
    self.echoPrompt = echoPrompt
    self.echoOutput = echoOutput
  }

  /// Returns the next line, or `.endOfInput`; never `.interrupted` (the shell checks
  /// `Interrupts.isRequested` between lines instead).
  public mutating func readLine(prompt: String) -> LineReadResult {
    guard let line = nextLine() else { return .endOfInput }
    lineNumber += 1
    if echoPrompt { echoOutput.write(PromptText.removingMarkers(prompt) + line + "\n") }
    return .line(line)
  }

  // MARK: - Splitting into lines

  private mutating func nextLine() -> String? {
    switch source {
    case .text(let lines, let next):
      guard next < lines.count else { return nil }
      source = .text(lines: lines, next: next + 1)
      return PlainLineReader.withoutCarriageReturn(String(lines[next]))
    case .descriptor(let descriptor, var pending, var atEnd):
      let line = PlainLineReader.takeLine(from: &pending, descriptor: descriptor, atEnd: &atEnd)
      source = .descriptor(descriptor, pending: pending, atEnd: atEnd)
      return line
    }
  }

  /// Takes one line off the front of `pending`, reading more from `descriptor` as needed.
  private static func takeLine(
    from pending: inout [UInt8], descriptor: Int32, atEnd: inout Bool
  ) -> String? {
    var searchedUpTo = 0
    while true {
      if let newline = pending[searchedUpTo...].firstIndex(of: UInt8(ascii: "\n")) {
        let line = decode(pending[..<newline])
        pending.removeSubrange(...newline)
        return line
      }
      searchedUpTo = pending.count
      if atEnd || !readChunk(from: descriptor, into: &pending) {
        atEnd = true
        guard !pending.isEmpty else { return nil }
        defer { pending.removeAll() }
        return decode(pending[...])
      }
    }
  }

  /// Appends up to 64 KiB from `descriptor` to `buffer`; false at end of file or on an error.
  private static func readChunk(from descriptor: Int32, into buffer: inout [UInt8]) -> Bool {
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count > 0 {
        buffer.append(contentsOf: chunk[..<count])
        return true
      }
      if count < 0 && errno == EINTR { continue }
      return false
    }
  }

  private static func decode(_ bytes: ArraySlice<UInt8>) -> String {
    withoutCarriageReturn(String(decoding: bytes, as: UTF8.self))
  }

  private static func withoutCarriageReturn(_ line: String) -> String {
    line.hasSuffix("\r") ? String(line.dropLast()) : line
  }
}
