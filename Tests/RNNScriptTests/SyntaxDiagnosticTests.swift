// Diagnostics and suggestions: the one renderer's format (file or prompt, caret, tabs, clipping,
// junk in the echoed line), source locations, `sourceLine`, and "did you mean" by edit distance.

import Testing

@testable import RNNScript

@Suite struct SyntaxDiagnosticTests {
  // MARK: - Rendering

  @Test func renderWithFileNameCaretAndSuggestion() {
    let diagnostic = Diagnostic(
      location: SourceLocation(file: "script.rnn", line: 3, column: 7), length: 5,
      message: "unknown task 'pdd'", suggestion: "pd")
    #expect(
      diagnostic.render(sourceLine: "train pdd net") == """
        script.rnn:3:7: error: unknown task 'pdd' (did you mean 'pd'?)
            train pdd net
                  ^~~~~
        """)
  }

  @Test func renderWithoutSourceLineIsTheHeaderOnly() {
    let diagnostic = Diagnostic(location: SourceLocation(line: 2, column: 1), message: "boom")
    #expect(diagnostic.render(sourceLine: nil) == "error: boom")
    #expect(diagnostic.description == "error: boom")
  }

  @Test func caretKeepsTabsAndIsClippedToTheLine() {
    let diagnostic = Diagnostic(
      location: SourceLocation(line: 1, column: 3), length: 50, message: "m")
    #expect(diagnostic.render(sourceLine: "\t\tabc") == "error: m\n    \t\tabc\n    \t\t^~~")
  }

  @Test func caretAtTheEndOfTheLine() {
    let diagnostic = Diagnostic(location: SourceLocation(line: 1, column: 99), message: "m")
    #expect(diagnostic.render(sourceLine: "x =") == "error: m\n    x =\n       ^")
  }

  @Test func controlCharactersAreNotEchoed() {
    let diagnostic = Diagnostic(location: SourceLocation(line: 1, column: 2), message: "m")
    #expect(diagnostic.render(sourceLine: "a\u{1B}[2Jb") == "error: m\n    a\u{FFFD}[2Jb\n     ^")
  }

  @Test func lengthIsAtLeastOne() {
    #expect(
      Diagnostic(location: SourceLocation(line: 1, column: 1), length: 0, message: "m").length == 1)
  }

  // MARK: - Locations and lines

  @Test func locationsPrintWithAndWithoutFile() {
    #expect(SourceLocation(file: "pd.rnn", line: 3, column: 7).description == "pd.rnn:3:7")
    #expect(SourceLocation(line: 3, column: 7).description == "3:7")
    let range = SourceRange(
      start: SourceLocation(line: 1, column: 2), end: SourceLocation(line: 1, column: 5))
    #expect(range.description == "1:2-1:5")
  }

  @Test func sourceLineSplitsLikeTheLexer() {
    let source = "a\r\nb\rc\n\nd"
    #expect((0...6).map { sourceLine($0, in: source) } == [nil, "a", "b", "c", "", "d", nil])
    #expect(sourceLine(1, in: "") == "")
    #expect(sourceLine(2, in: "x\n") == "")
  }

  // MARK: - Suggestions

  @Test(arguments: [
    ("trian", "train"), ("N_recc", "N_rec"), ("n_rec", "N_rec"), ("acuracy", "accuracy"),
    ("simulat", "simulate"), ("Train", "train"), ("dale_ration", "dale_ratio"),
  ])
  func suggestsTheClosestCandidate(word: String, expected: String) {
    let candidates = ["train", "test", "N_rec", "N_in", "accuracy", "simulate", "dale_ratio"]
    #expect(suggestion(for: word, among: candidates) == expected)
  }

  @Test func noSuggestionWhenNothingIsClose() {
    #expect(suggestion(for: "xyzzy", among: ["train", "test"]) == nil)
    #expect(suggestion(for: "train", among: ["train"]) == nil)
    #expect(suggestion(for: "anything", among: []) == nil)
    #expect(suggestion(for: String(repeating: "a", count: 10_000), among: ["a"]) == nil)
  }

  @Test func tiesGoToTheAlphabeticallyFirst() {
    #expect(suggestion(for: "tast", among: ["test", "task"]) == "task")
    #expect(suggestion(for: "tast", among: ["task", "test"]) == "task")
  }

  @Test(arguments: [
    ("", "", 0), ("abc", "", 3), ("", "ab", 2), ("kitten", "sitting", 3), ("trian", "train", 1),
    ("ca", "abc", 3), ("abcd", "acbd", 1), ("same", "same", 0),
  ])
  func editDistances(a: String, b: String, expected: Int) {
    #expect(editDistance(Array(a), Array(b)) == expected)
  }
}
