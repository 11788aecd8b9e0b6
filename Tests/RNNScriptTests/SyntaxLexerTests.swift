// The lexer: token kinds and values, locations, line breaks inside brackets, and every way it
// reports text it cannot read (without ever failing).

import Testing

@testable import RNNScript

@Suite struct SyntaxLexerTests {
  func kinds(_ source: String) -> [Token.Kind] {
    Lexer(source: source).tokenize().map(\.kind)
  }

  /// The messages of the invalid tokens of `source`.
  func problems(_ source: String) -> [String] {
    Lexer(source: source).tokenize().compactMap { token in
      if case .invalid(let diagnostic) = token.kind { return diagnostic.message }
      return nil
    }
  }

  // MARK: - Token kinds

  @Test func commandWithOption() {
    #expect(
      kinds("train net task training_iters: 64000") == [
        .name("train"), .name("net"), .name("task"), .name("training_iters"), .colon,
        .number(64000), .endOfFile,
      ])
  }

  @Test func punctuation() {
    #expect(
      kinds("( ) [ ] , : . = + - * / ;") == [
        .leftParen, .rightParen, .leftBracket, .rightBracket, .comma, .colon, .dot, .equals,
        .plus, .minus, .star, .slash, .semicolon, .endOfFile,
      ])
  }

  @Test(arguments: [
    ("7", 7.0), ("0.9", 0.9), ("1e-3", 1e-3), ("64_000", 64000), ("1E+2", 100), ("2.5e3", 2500),
    ("007", 7), ("1_000.000_5", 1000.0005), ("1.7976931348623157e+308", 1.7976931348623157e308),
    ("1e-999", 0),
  ])
  func numbers(source: String, value: Double) {
    #expect(kinds(source) == [.number(value), .endOfFile])
  }

  @Test func keywordsInBothSpellings() {
    #expect(
      kinds("true True false False none None nones") == [
        .boolean(true), .boolean(true), .boolean(false), .boolean(false), .noneLiteral,
        .noneLiteral, .name("nones"), .endOfFile,
      ])
  }

  @Test func namesKeepUnderscoresAndCapitals() {
    #expect(
      kinds("N_rec W_rec _x dale_ratio2") == [
        .name("N_rec"), .name("W_rec"), .name("_x"), .name("dale_ratio2"), .endOfFile,
      ])
  }

  @Test func stringsResolveEscapes() {
    #expect(kinds(#""a\"b\\c\nd\te""#) == [.string("a\"b\\c\nd\te"), .endOfFile])
    #expect(kinds(#"'it\'s' 'say "hi"'"#) == [.string("it's"), .string("say \"hi\""), .endOfFile])
    #expect(kinds("\"héllo ✓\"") == [.string("héllo ✓"), .endOfFile])
  }

  @Test func stringsMaySpanLines() {
    let tokens = Lexer(source: "\"a\nb\" x").tokenize()
    #expect(tokens.map(\.kind) == [.string("a\nb"), .name("x"), .endOfFile])
    #expect(tokens[1].location == SourceLocation(line: 2, column: 4))
  }

  // MARK: - Layout

  @Test func commentsAndStatementSeparators() {
    #expect(
      kinds("seed 7 # the seed\nx = 1; y = 2\n") == [
        .name("seed"), .number(7), .newline, .name("x"), .equals, .number(1), .semicolon,
        .name("y"), .equals, .number(2), .newline, .endOfFile,
      ])
  }

  @Test func lineBreaksInsideBracketsAreWhitespace() {
    #expect(
      kinds("f(1,\n  [2,\n 3] # note\n)\nx") == [
        .name("f"), .leftParen, .number(1), .comma, .leftBracket, .number(2), .comma, .number(3),
        .rightBracket, .rightParen, .newline, .name("x"), .endOfFile,
      ])
  }

  @Test func locationsCountLinesAndColumnsFromOne() {
    let tokens = Lexer(source: "a = 1\n\tbb.c", file: "s.rnn").tokenize()
    let located = tokens.map { "\($0.text)@\($0.location)" }
    #expect(
      located == [
        "a@s.rnn:1:1", "=@s.rnn:1:3", "1@s.rnn:1:5", "\n@s.rnn:1:6", "bb@s.rnn:2:2",
        ".@s.rnn:2:4", "c@s.rnn:2:5", "@s.rnn:2:6",
      ])
    #expect(tokens[4].range.end == SourceLocation(file: "s.rnn", line: 2, column: 4))
  }

  @Test func windowsAndOldMacLineBreaks() {
    let tokens = Lexer(source: "a\r\nb\rc").tokenize()
    #expect(
      tokens.map(\.kind) == [.name("a"), .newline, .name("b"), .newline, .name("c"), .endOfFile])
    #expect(tokens.map(\.location.line) == [1, 1, 2, 2, 3, 3])
    #expect(tokens[2].location.column == 1)
  }

  @Test func byteOrderMarkIsSkipped() {
    #expect(kinds("\u{FEFF}seed 7") == [.name("seed"), .number(7), .endOfFile])
  }

  @Test func followsSpaceSeparatesCommandArguments() {
    let tokens = Lexer(source: "x[0] y [1] #c\nz").tokenize()
    #expect(
      tokens.map(\.followsSpace) == [
        true, false, false, false, true, true, false, false, true, true, false,
      ])
  }

  // MARK: - Text the lexer cannot read

  @Test func numbersTooLargeForADouble() {
    #expect(problems("1e999") == ["number '1e999' is too large"])
    #expect(problems(String(repeating: "9", count: 400)).first?.hasSuffix("is too large") == true)
  }

  @Test func malformedNumbers() {
    #expect(problems("3x") == ["invalid number '3x'"])
    #expect(problems("1e") == ["invalid number '1e'"])
    #expect(problems("1_") == ["invalid number '1_': '_' must sit between digits"])
    #expect(problems("1__0") == ["invalid number '1__0': '_' must sit between digits"])
    #expect(problems("1_.5") == ["invalid number '1_.5': '_' must sit between digits"])
  }

  @Test func unexpectedCharacters() {
    #expect(problems("$") == ["unexpected character '$'"])
    #expect(problems("!") == ["unexpected character '!' (write 'not x', or '!=' for 'not equal')"])
    #expect(problems("x € y") == ["unexpected character '€' (U+20AC)"])
    #expect(
      problems("\u{0}\u{1B}") == ["unexpected character U+0000", "unexpected character U+001B"])
    #expect(problems("\u{202E}") == ["unexpected character U+202E"])
  }

  @Test func curlyQuotesSuggestStraightOnes() {
    let token = Lexer(source: "save net “w.npz”").tokenize()[2]
    guard case .invalid(let diagnostic) = token.kind else {
      Issue.record("expected an invalid token, got \(token.kind)")
      return
    }
    #expect(diagnostic.suggestion == "\"")
    #expect(diagnostic.location.column == 10)
  }

  @Test func unterminatedStringUnderlinesToTheEndOfItsLine() {
    let tokens = Lexer(source: "save net \"w.npz\n").tokenize()
    #expect(tokens.count == 4)
    guard case .invalid(let diagnostic) = tokens[2].kind else {
      Issue.record("expected an invalid token")
      return
    }
    #expect(diagnostic.message == "unterminated string")
    #expect(diagnostic.location == SourceLocation(line: 1, column: 10))
    #expect(diagnostic.length == 6)
  }

  @Test func unknownEscapePointsAtTheBackslashAndLexingGoesOn() {
    let tokens = Lexer(source: #"save net "C:\data" x"#).tokenize()
    guard case .invalid(let diagnostic) = tokens[2].kind else {
      Issue.record("expected an invalid token")
      return
    }
    #expect(diagnostic.message == #"unknown escape '\d' in string (write '\\' for a backslash)"#)
    #expect(diagnostic.location.column == 13)
    #expect(diagnostic.length == 2)
    #expect(tokens[3].kind == .name("x"))
  }
}
