// Interactive input from a terminal through libedit: line editing (emacs keys; ~/.editrc is
// read), persistent history, Tab completion, and Ctrl-C that clears the line. This is the only
// file that imports CEditLine; everything libedit-specific stays here.
//
// libedit's readline interface is one set of C globals, so there is one reader per process in
// practice (each new `EditLineReader` re-initialises libedit and replaces the history).
// Facts it relies on (libedit 3.1-20221030, checked in tmux; see also the design notes):
//   - settings take effect when libedit initialises, at the first readline/history call;
//   - with `rl_catch_signals = 0` libedit leaves SIGINT to us. We also give it our own input
//     function (`rl_getc_function`): it waits for a key, but wakes up at least every 100 ms to
//     look at `Interrupts.isRequested` (the signal may land on another thread, so we cannot
//     count on it interrupting our wait). When Ctrl-C was pressed it sends Ctrl-E (cursor to
//     the end of the text), then reports end of input; libedit drops the typed text and
//     `readline` returns NULL, and the flag tells us it was Ctrl-C, not Ctrl-D. libedit does
//     not move to a new line then, so we print "^C\n";
//   - libedit calls the input function per character and takes its result as one wide
//     character, so the function decodes UTF-8 itself (in a UTF-8 locale);
//   - completion: `rl_attempted_completion_function` gets the word before the cursor and its
//     start as an index in characters (wide chars), and returns a malloc'd NULL-terminated
//     array: [substitution, match1, match2, …]; libedit frees it and its strings;
//   - `readline` returns malloc'd memory (we free it), or NULL on end of input.

import CEditLine
import Foundation
import Glibc
import NumpyFormat

/// Reads lines from the terminal with libedit: editing, history, completion, Ctrl-C.
///
/// History problems (an unreadable, corrupt or unwritable file, a FIFO, a device, a directory, a
/// missing folder) never stop the session: the reader keeps an in-memory history, stops writing
/// the file, and reports one warning line: to `onWarning` when set (`psychrnn` writes it to
/// standard error), else through `takeHistoryWarning()`.
///
/// libedit never opens the history file itself (it would block forever on a FIFO and chmod
/// whatever it opened): the file is read with `Files.read` (non-blocking, regular files only)
/// and written with `Files.writeAtomically` (only a regular file is replaced, nothing is left
/// behind on failure, a new file is 600), and libedit reads and writes an in-memory copy
/// (`memfd_create`, through /proc/self/fd).
public final class EditLineReader: LineReader {
  /// A completion source: the whole line, where the word being completed starts in it (in
  /// `Character`s), and that word; returns candidate replacements for the word. Candidates
  /// that do not start with the word are ignored.
  public typealias Completer = (_ line: String, _ cursorWordStart: Int, _ word: String) -> [String]

  /// Always true: a person is typing.
  public var isInteractive: Bool { true }

  /// The shell's completion source; nil completes nothing (Tab only beeps). Inside a string
  /// literal (after an odd number of `"`) file names are completed instead.
  public var completer: Completer? {
    get { CompletionBridge.shared.completer }
    set { CompletionBridge.shared.completer = newValue }
  }

  /// Whether every line read goes into the history as it is read. The shell turns this off and
  /// records whole statements instead (`recordStatement`), so a statement typed over several
  /// lines is one entry.
  public var recordsEachLine = true

  /// The history file, or nil when the history is kept in memory only.
  public private(set) var historyPath: String?
  /// How many entries the history keeps.
  public let historyLimit: Int

  /// Whether standard input is a terminal (else libedit reads it plainly and draws nothing).
  private let inputIsTerminal: Bool
  /// The newest history entry, to skip immediate repeats.
  private var newestEntry: String?
  /// A history problem not yet reported.
  private var pendingWarning: String?
  /// Where history warnings go as they happen (each once); nil keeps them for `takeHistoryWarning()`.
  /// Setting it delivers a warning already pending.
  public var onWarning: ((String) -> Void)? {
    didSet { if let w = pendingWarning, let onWarning { pendingWarning = nil; onWarning(w) } }
  }

  /// Sets libedit up and loads the history.
  /// - Parameters:
  ///   - historyPath: the history file (see `HistoryPolicy.filePath`), or nil for none.
  ///   - historyLimit: how many entries to keep.
  public init(
    historyPath: String? = EditLineReader.defaultHistoryPath(),
    historyLimit: Int = HistoryPolicy.defaultLimit
  ) {
    Interrupts.install()
    LibEdit.configure()
    rl_initialize()  // afresh, for the standard input of now (a terminal or not)
    self.historyPath = historyPath
    self.historyLimit = historyLimit
    self.inputIsTerminal = isatty(STDIN_FILENO) == 1
    loadHistory()
  }

  /// `HistoryPolicy.filePath` for this process's environment and home directory.
  public static func defaultHistoryPath() -> String? {
    HistoryPolicy.filePath(
      environment: ProcessInfo.processInfo.environment,
      homeDirectory: FileManager.default.homeDirectoryForCurrentUser.path)
  }

  // MARK: - Reading

  /// Shows `prompt` (colour escapes allowed: they are marked invisible here) and reads a line.
  /// Clears any pending Ctrl-C first. After `.interrupted` and `.endOfInput` the cursor is at
  /// the start of a fresh line.
  public func readLine(prompt: String) -> LineReadResult {
    // Asked to end (SIGTERM, SIGHUP): no more input. (The prompt it interrupted said `.interrupted`.)
    if Interrupts.terminationStatus != nil { return .endOfInput }
    Interrupts.reset()
    LibEdit.endOfLineSentForInterrupt = false
    Interrupts.setWaitingAtPrompt(true)
    let text = readline(PromptText.markingEscapes(prompt))
    // Ctrl-C at the prompt is handled here, so it must not count towards the escape hatch, nor
    // cancel the command just typed: take the flag down before leaving the prompt.
    let interrupted = Interrupts.isRequested
    Interrupts.reset()
    Interrupts.setWaitingAtPrompt(false)
    guard let text else {
      if Interrupts.terminationStatus != nil {
        if inputIsTerminal { FileOutput.standardOutput.write("\n") }
        return .interrupted  // drops a half-typed statement; the next read ends the input
      }
      if inputIsTerminal { FileOutput.standardOutput.write(interrupted ? "^C\n" : "\n") }
      return interrupted ? .interrupted : .endOfInput
    }
    defer { free(text) }
    let line = String(cString: text)
    if recordsEachLine { record(line) }
    return .line(line)
  }

  // MARK: - History

  /// The history entries, oldest first.
  public var historyEntries: [String] {
    let base = psy_history_base()
    return (0..<psy_history_length()).compactMap { offset in
      history_get(base + offset)?.pointee.line.map { String(cString: $0) }
    }
  }

  /// Returns the pending history warning (one line, no newline) once, then nil.
  public func takeHistoryWarning() -> String? {
    defer { pendingWarning = nil }
    return pendingWarning
  }

  /// Adds a statement (its lines joined: one entry even when it spans several lines) to the
  /// history if `HistoryPolicy` wants it, and saves the file. The shell calls it once a statement
  /// is complete.
  public func recordStatement(_ text: String) { record(text) }

  /// Adds `line` to the history if `HistoryPolicy` wants it, and saves the file.
  func record(_ line: String) {
    guard HistoryPolicy.shouldRecord(line, after: newestEntry) else { return }
    add_history(line)
    newestEntry = line
    saveHistory()
  }

  /// Replaces the in-memory history with the file's (an empty or missing file is fine).
  private func loadHistory() {
    clear_history()
    stifle_history(Int32(clamping: historyLimit))
    newestEntry = nil
    guard let path = historyPath else { return }
    let bytes: [UInt8]
    do {
      bytes = try Files.read(path)
    } catch NumpyFormatError.fileNotFound {
      return  // created by the first save (which warns if its folder is missing)
    } catch {
      return stopUsingHistoryFile(
        because: "could not read the history file \(path) (\(EditLineReader.reason(error)))")
    }
    guard !bytes.isEmpty else { return }  // libedit would reject an empty file as malformed
    let status = EditLineReader.withMemoryFile(holding: bytes) { read_history($0) }
    if status != 0 {
      stopUsingHistoryFile(because: "could not read the history file \(path) (\(describe(status)))")
      clear_history()
      return
    }
    newestEntry = historyEntries.last
  }

  /// Writes the whole history (at most `historyLimit` entries) to the file, atomically.
  private func saveHistory() {
    guard let path = historyPath else { return }
    var written: [UInt8]? = nil
    let status = EditLineReader.withMemoryFile(holding: []) { memoryPath in
      let status = write_history(memoryPath)
      if status == 0 { written = EditLineReader.contents(ofMemoryFile: memoryPath) }
      return status
    }
    do {
      guard status == 0, let bytes = written else {
        throw NumpyFormatError.unwritableFile(path: path, reason: describe(status == 0 ? EIO : status))
      }
      try Files.writeAtomically(bytes, to: path, newFileMode: 0o600)
    } catch {
      stopUsingHistoryFile(because: "could not save the history to \(path) (\(EditLineReader.reason(error)))")
    }
  }

  /// Keeps the history in memory only from now on, with one warning; never overwrites a file
  /// it could not read.
  private func stopUsingHistoryFile(because reason: String) {
    historyPath = nil
    let warning = "warning: \(reason); history will not be saved this session"
    if let onWarning { onWarning(warning) } else { pendingWarning = warning }
  }

  /// The system's reason for a failed read or write, without the path.
  private static func reason(_ error: Error) -> String { ScriptFile.reason(error) }

  /// Runs `body` with the /proc/self/fd path of an in-memory file holding `bytes`; libedit reads
  /// and writes that instead of the real file. Returns `body`'s status, or EIO when no memory file
  /// can be made.
  private static func withMemoryFile(holding bytes: [UInt8], _ body: (String) -> Int32) -> Int32 {
    let fd = psy_memfd()
    guard fd >= 0 else { return errno }
    defer { close(fd) }
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else { return errno }
      offset += n
    }
    return body("/proc/self/fd/\(fd)")
  }

  /// What libedit wrote into the memory file at `path` (opened again: libedit's `fopen("w")`
  /// truncated it), or nil.
  private static func contents(ofMemoryFile path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var result: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65536)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n < 0 { return nil }
      if n == 0 { return result }
      result += chunk[..<n]
    }
  }

  private func describe(_ status: Int32) -> String {
    status == ENOENT ? "no such file or directory" : String(cString: strerror(status))
  }
}

// MARK: - One-time libedit set-up

/// The process-wide libedit settings, made once before libedit initialises.
enum LibEdit {
  /// Whether the input function decodes UTF-8 (the locale's character set is UTF-8).
  nonisolated(unsafe) static var decodesUTF8 = false
  /// Set by the input function between the Ctrl-E and the -1 it gives for a Ctrl-C. Only the
  /// thread inside `readline` touches it.
  nonisolated(unsafe) static var endOfLineSentForInterrupt = false

  /// Applies the settings (idempotent).
  static func configure() { _ = configuration }

  private static let configuration: Void = {
    useCharacterLocale()
    decodesUTF8 = String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8"
    psy_rl_set_name(strdup("psychrnn"))  // kept for the life of the process; for ~/.editrc
    psy_rl_set_catch_signals(0)
    psy_rl_set_getc(readInputCharacter)
    psy_rl_set_completer(completeWord)
  }()

  /// `setlocale(LC_CTYPE, "")` so libedit accepts non-ASCII input; when the environment names
  /// no locale (plain "C"), C.UTF-8 instead, as Python does. Only character handling changes:
  /// number formatting (LC_NUMERIC) is left alone.
  private static func useCharacterLocale() {
    let chosen = setlocale(LC_CTYPE, "").map { String(cString: $0) }
    if chosen == nil || chosen == "C" || chosen == "POSIX" {
      _ = setlocale(LC_CTYPE, "C.UTF-8")
    }
  }
}

// MARK: - Input: one character at a time, watching for Ctrl-C

/// libedit's input function: the next character from `stream` as a code point, or -1 for
/// "no more input" (end of file, an error, or Ctrl-C — `readLine` tells them apart).
///
/// On a terminal, Ctrl-C first gives Ctrl-E (emacs "end of line"), so that libedit moves the
/// cursor to the end of the typed text, and the next call gives -1: "^C" then follows the text
/// instead of overwriting part of it.
func readInputCharacter(_ stream: UnsafeMutablePointer<FILE>?) -> Int32 {
  if LibEdit.endOfLineSentForInterrupt {
    LibEdit.endOfLineSentForInterrupt = false
    return -1
  }
  let descriptor = stream.map { fileno($0) } ?? STDIN_FILENO
  guard let lead = waitForByte(descriptor) else {
    guard Interrupts.isRequested, isatty(descriptor) == 1 else { return -1 }
    LibEdit.endOfLineSentForInterrupt = true
    return 0x05  // Ctrl-E
  }
  guard LibEdit.decodesUTF8, lead >= 0x80 else { return Int32(lead) }
  return decodeUTF8(lead: lead) { waitForByte(descriptor) }
}

/// The next byte from `descriptor`, or nil at end of input, on an error, or once Ctrl-C has
/// been pressed. Waits in slices of 100 ms so that the Ctrl-C flag is seen promptly.
func waitForByte(_ descriptor: Int32) -> UInt8? {
  while !Interrupts.isRequested {
    var watch = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    let ready = poll(&watch, 1, 100)
    if ready < 0 && errno != EINTR { return nil }
    guard ready > 0 else { continue }
    var byte: UInt8 = 0
    let count = read(descriptor, &byte, 1)
    if count == 1 { return byte }
    if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
    return nil
  }
  return nil
}

/// The code point that starts with `lead` (≥ 0x80), reading continuation bytes with `next`;
/// U+FFFD for a malformed sequence, -1 if the input ends inside it.
func decodeUTF8(lead: UInt8, next: () -> UInt8?) -> Int32 {
  let replacement: Int32 = 0xFFFD
  let length: Int
  switch lead {
  case 0xC2...0xDF: length = 2
  case 0xE0...0xEF: length = 3
  case 0xF0...0xF4: length = 4
  default: return replacement
  }
  var bytes = [lead]
  for _ in 1..<length {
    guard let byte = next() else { return -1 }
    bytes.append(byte)
  }
  let decoded = String(validating: bytes, as: UTF8.self)?.unicodeScalars.first
  return decoded.map { Int32($0.value) } ?? replacement
}

// MARK: - Completion

/// Holds the shell's completer where the C callback can reach it (a C function pointer cannot
/// capture anything). The lock makes the sharing safe; in practice one thread uses it.
final class CompletionBridge: @unchecked Sendable {
  static let shared = CompletionBridge()
  private let lock = NSLock()
  private var storedCompleter: EditLineReader.Completer?

  var completer: EditLineReader.Completer? {
    get { lock.withLock { storedCompleter } }
    set { lock.withLock { storedCompleter = newValue } }
  }
}

/// libedit's completion callback: `text` is the word before the cursor, `start` where it
/// starts in the line (in characters). Returns a malloc'd [substitution, matches…, NULL] array,
/// or NULL for no completions (libedit beeps).
func completeWord(
  _ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32
) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
  let word = text.map { String(cString: $0) } ?? ""
  let line = psy_rl_line_buffer().map { String(cString: $0) } ?? ""
  let wordStart = Int(start)
  if Completion.isInsideString(line, scalarOffset: wordStart) {
    psy_rl_set_attempted_completion_over(0)  // let libedit complete a file name
    return nil
  }
  psy_rl_set_attempted_completion_over(1)  // no file-name fallback
  guard let completer = CompletionBridge.shared.completer else { return nil }
  let offset = Completion.characterOffset(ofScalarOffset: wordStart, in: line)
  let entries = Completion.entries(word: word, candidates: completer(line, offset, word))
  // A single match that ends in "(" (a function) or "." needs no space after it.
  let open = entries.count == 2 && (entries[1].hasSuffix("(") || entries[1].hasSuffix("."))
  psy_rl_set_completion_append_character(open ? 0 : 32)
  return Completion.cArray(entries)
}

/// The pure parts of completion, kept apart from the C callback so they can be tested.
enum Completion {
  /// The array readline expects, as Swift strings: the longest common prefix of the matches
  /// (what replaces the word), then the matches, sorted and without duplicates. A single match
  /// appears twice, [match, match], which both libedit and GNU readline read as "complete".
  /// Empty when nothing matches. Candidates not starting with `word` are dropped (their common
  /// prefix could be shorter than the word and would delete typed text).
  static func entries(word: String, candidates: [String]) -> [String] {
    let matches = Set(candidates.filter { $0.hasPrefix(word) }).sorted()
    guard let first = matches.first else { return [] }
    let prefix = matches.dropFirst().reduce(first) { commonPrefix($0, $1) }
    return [prefix] + matches
  }

  /// The longest common prefix of two strings (by Character).
  static func commonPrefix(_ a: String, _ b: String) -> String {
    String(zip(a, b).prefix { $0 == $1 }.map(\.0))
  }

  /// `entries` as a malloc'd NULL-terminated array of strdup'd strings (freed by libedit).
  static func cArray(_ entries: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    guard !entries.isEmpty else { return nil }
    typealias CString = UnsafeMutablePointer<CChar>?
    let count = entries.count + 1
    let array = malloc(MemoryLayout<CString>.stride * count)!.bindMemory(to: CString.self, capacity: count)
    for (index, entry) in entries.enumerated() { array[index] = strdup(entry) }
    array[entries.count] = nil
    return array
  }

  /// Whether the word starting at `scalarOffset` is inside a string literal: an odd number of
  /// unescaped `"` comes before it.
  static func isInsideString(_ line: String, scalarOffset: Int) -> Bool {
    var quotes = 0
    var escaped = false
    for scalar in line.unicodeScalars.prefix(scalarOffset) {
      if scalar == "\"" && !escaped { quotes += 1 }
      escaped = scalar == "\\" && !escaped
    }
    return quotes % 2 == 1
  }

  /// Converts libedit's offset (wide characters, i.e. Unicode scalars) to `Character`s.
  static func characterOffset(ofScalarOffset offset: Int, in line: String) -> Int {
    String(String.UnicodeScalarView(line.unicodeScalars.prefix(offset))).count
  }
}
