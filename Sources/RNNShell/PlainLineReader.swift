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
//
// Bounded: a line longer than `maxLineBytes` is cut there (the rest of it, up to its newline, is
// read and dropped), so endless junk without a newline (`psychrnn < /dev/zero`) costs linear time
// and constant memory; the shell then refuses the over-long line with one diagnostic. While it
// waits in `read` it tells `Interrupts` (a SIGTERM then ends the process at once), and once the
// process was asked to end it reports end of input.

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

  /// The longest line returned whole, in bytes (1 MiB); a longer one is cut to
  /// `maxLineBytes + 1` bytes, so that the shell sees it is too long, and the rest is dropped.
  public static let maxLineBytes = 1 << 20

  private enum Source {
    /// The lines of a string, and the index of the next one.
    case text(lines: [Substring], next: Int)
    /// A descriptor, with the bytes read but not yet returned.
    case descriptor(Int32, buffer: LineBuffer)
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
    self.source = .descriptor(fileDescriptor, buffer: LineBuffer())
    self.echoPrompt = echoPrompt
    self.echoOutput = echoOutput
  }

  /// Returns the next line, or `.endOfInput`; never `.interrupted` (the shell checks
  /// `Interrupts.isRequested` between lines instead).
  public mutating func readLine(prompt: String) -> LineReadResult {
    guard Interrupts.terminationStatus == nil, let line = nextLine() else { return .endOfInput }
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
    case .descriptor(let descriptor, let buffer):
      return buffer.takeLine(descriptor: descriptor, limit: PlainLineReader.maxLineBytes).map(PlainLineReader.decode)
    }
  }

  static func decode(_ bytes: ArraySlice<UInt8>) -> String {
    withoutCarriageReturn(String(decoding: bytes, as: UTF8.self))
  }

  private static func withoutCarriageReturn(_ line: String) -> String {
    line.hasSuffix("\r") ? String(line.dropLast()) : line
  }
}

/// Bytes read from a descriptor and not yet returned as lines: one buffer with a read position,
/// compacted only when the consumed part is the larger half, so splitting N bytes into lines
/// costs O(N) however short or long the lines are.
final class LineBuffer {
  private var bytes: [UInt8] = []
  /// Where the unreturned bytes start.
  private var start = 0
  private var atEnd = false

  /// The next line (without its newline), cut to `limit + 1` bytes if longer (the rest of that
  /// line is read and dropped), or nil at the end of input.
  func takeLine(descriptor: Int32, limit: Int) -> ArraySlice<UInt8>? {
    var searched = start
    var dropping = false  // the line passed the limit: its prefix is kept, the rest dropped
    var kept: ArraySlice<UInt8> = []
    while true {
      if let newline = bytes[searched...].firstIndex(of: UInt8(ascii: "\n")) {
        let line = dropping ? kept : bytes[start..<newline]
        start = newline + 1
        if dropping || line.count > limit { return line.prefix(limit + 1) }
        return line
      }
      searched = bytes.count
      if !dropping && bytes.count - start > limit {
        kept = ArraySlice(bytes[start..<(start + limit + 1)])
        dropping = true
      }
      if dropping {  // forget what was read of this line beyond the kept prefix
        bytes.removeAll(keepingCapacity: true)
        start = 0
        searched = 0
      } else {
        compact(&searched)
      }
      if atEnd || !readChunk(from: descriptor) {
        atEnd = true
        if dropping { return kept }
        guard start < bytes.count else { return nil }
        defer { bytes.removeAll(); start = 0 }
        let line = bytes[start...]
        return line.count > limit ? line.prefix(limit + 1) : line
      }
    }
  }

  /// Drops the consumed bytes when they are most of the buffer, shifting `searched` with them.
  private func compact(_ searched: inout Int) {
    guard start > 0, start >= bytes.count - start else { return }
    bytes.removeSubrange(..<start)
    searched -= start
    start = 0
  }

  /// Appends up to 64 KiB from `descriptor`; false at end of file or on an error. While it waits,
  /// `Interrupts` knows that nothing polls (a SIGTERM or SIGHUP then ends the process at once).
  private func readChunk(from descriptor: Int32) -> Bool {
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      Interrupts.setBlockedReading(true)
      if Interrupts.terminationStatus != nil {
        Interrupts.setBlockedReading(false)
        return false
      }
      let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      Interrupts.setBlockedReading(false)
      if count > 0 {
        bytes.append(contentsOf: chunk[..<count])
        return true
      }
      if count < 0 && errno == EINTR { continue }
      return false
    }
  }
}
