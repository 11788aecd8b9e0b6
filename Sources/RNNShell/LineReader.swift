// The one seam through which the shell reads its input, a line at a time.
//
// Every input goes through a `LineReader` (SQLite's shell reads its terminal, pipes, init file and
// `.read` files through one loop in the same way):
//   - `EditLineReader`: an interactive terminal: line editing, history, Tab completion;
//   - `PlainLineReader`: a file, a pipe or an in-memory script — no editing, no history, and no
//     prompt unless one is asked for.
// The shell asks `isInteractive` to decide whether to show a prompt, keep history and recover
// from errors (interactive) or stop at the first one (a script).

/// What one attempt to read a line produced.
public enum LineReadResult: Equatable, Sendable {
  /// A complete line, without its line terminator.
  case line(String)
  /// Ctrl-C at the prompt: the text typed so far was discarded; the shell shows a fresh prompt.
  case interrupted
  /// Ctrl-D on an empty line, or the end of the file or pipe.
  case endOfInput
}

/// A source of input lines for the shell.
public protocol LineReader {
  /// Whether a person is typing (a terminal), as opposed to a file, pipe or string being replayed.
  var isInteractive: Bool { get }

  /// Reads the next line, showing `prompt` first when this reader shows prompts.
  mutating func readLine(prompt: String) -> LineReadResult

  /// Keeps a complete statement (possibly several lines) in the history, if the reader has one.
  func recordStatement(_ text: String)
}

extension LineReader {
  public func recordStatement(_ text: String) {}
}

// MARK: - Prompt text

/// Helpers for prompts that contain colour escapes.
///
/// libedit measures the prompt to place the cursor, so escape sequences (which take no columns)
/// must be marked as invisible: `\u{01}` before and `\u{02}` after each one (SQLite's shell and
/// GNU readline use the same markers). `EditLineReader` adds the markers itself; readers that
/// only echo the prompt remove them.
public enum PromptText {
  /// Marks every `ESC[…<letter>` sequence in `prompt` as invisible; a prompt that already has
  /// markers, or has no escapes, is returned unchanged.
  public static func markingEscapes(_ prompt: String) -> String {
    guard prompt.contains("\u{1B}"), !prompt.contains("\u{01}") else { return prompt }
    var marked = ""
    var inEscape = false
    for scalar in prompt.unicodeScalars {
      if scalar == "\u{1B}" {
        marked.unicodeScalars.append("\u{01}")
        inEscape = true
      }
      marked.unicodeScalars.append(scalar)
      if inEscape && scalar != "\u{1B}" && scalar != "[" && (0x40...0x7E).contains(scalar.value) {
        marked.unicodeScalars.append("\u{02}")
        inEscape = false
      }
    }
    return marked
  }

  /// `prompt` without the `\u{01}`/`\u{02}` markers, for writing it out directly.
  public static func removingMarkers(_ prompt: String) -> String {
    let kept = prompt.unicodeScalars.filter { $0 != "\u{01}" && $0 != "\u{02}" }
    return String(String.UnicodeScalarView(kept))
  }
}
