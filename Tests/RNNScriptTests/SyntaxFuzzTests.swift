// Robustness: thousands of random, mutated and pathological inputs from a seeded generator. Each
// must either parse or produce diagnostics whose locations lie inside the source; whatever
// parses must survive the round trip print → parse. Never a crash, never a hang: the whole suite
// is timed, and the nesting limit keeps every recursion shallow.

import Testing

@testable import RNNScript

@Suite struct SyntaxFuzzTests {
  typealias F = SyntaxFixture

  // MARK: - Inputs

  /// Pieces of the language (and of what is not), for random "token soup".
  static let fragments: [String] = [
    // Words: commands, names, misspellings, keywords.
    "train", "plot", "seed", "print", "history", "net", "task", "x", "N_rec", "trian", "Basic",
    "W_rec", "_", "true", "None", "False",
    // Numbers, good and bad.
    "0", "7", "0.9", "1e-3", "64_000", "1e999", String(repeating: "9", count: 400), "3x", "1_",
    "1e", "2.5e+3",
    // Strings, good and bad.
    "\"a\"", "'b'", "\"unterminated", "\"bad\\q\"", "\"\\\"\"", "'multi\nline'", "\"\"",
    // Punctuation and layout.
    "(", ")", "[", "]", ",", ":", ".", "=", "+", "-", "*", "/", ";", "\n", "# comment", "\r\n",
    "\t",
    // Junk.
    "€", "\u{0}", "\u{1B}", "“", "@", "\\", "\u{FEFF}", "\u{202E}", "é", "🙂", "\u{7F}", "$",
  ]

  /// Statements that parse, to be mutated.
  static let seeds: [String] =
    F.quickstart.split(separator: "\n").map(String.init) + [
      "ablate net unit 4 from: 500 to: 800", "r = simulate net x", "x = (1 + 2) * -y[0].T",
      "c = Curriculum([t1, t2], thresholds: [0.9, 0.9])", "history save \"session.rnn\"",
      "plot x[0] net.W_rec \"f.npz\" [1,2] (a + 1)",
      "net = Basic(task, N_rec: 50, dale_ratio: 0.8)",
    ]

  static func soup(_ rng: inout SplitMix64) -> String {
    let separators = ["", " ", "  ", "\t"]
    let count = Int.random(in: 1...12, using: &rng)
    return (0..<count).map { _ in
      fragments.randomElement(using: &rng)! + separators.randomElement(using: &rng)!
    }.joined()
  }

  static func mutated(_ rng: inout SplitMix64) -> String {
    var scalars = Array(seeds.randomElement(using: &rng)!.unicodeScalars)
    for _ in 0..<Int.random(in: 1...3, using: &rng) {
      let position = Int.random(in: 0...scalars.count, using: &rng)
      switch Int.random(in: 0..<4, using: &rng) {
      case 0 where position < scalars.count:
        scalars.removeSubrange(
          position..<min(scalars.count, position + Int.random(in: 1...4, using: &rng)))
      case 1:
        scalars.insert(
          contentsOf: fragments.randomElement(using: &rng)!.unicodeScalars, at: position)
      case 2 where position + 1 < scalars.count:
        scalars.swapAt(position, position + 1)
      default:
        scalars.insert(Unicode.Scalar(UInt8.random(in: 0...127, using: &rng)), at: position)
      }
    }
    return String(String.UnicodeScalarView(scalars))
  }

  static func randomBytes(_ rng: inout SplitMix64) -> String {
    let bytes = (0..<Int.random(in: 0...80, using: &rng)).map { _ in
      UInt8.random(in: 0...255, using: &rng)
    }
    return String(decoding: bytes, as: UTF8.self)  // invalid UTF-8 becomes U+FFFD
  }

  static let pathological: [String] = [
    String(repeating: "(", count: 10_000),
    String(repeating: "[", count: 10_000),
    String(repeating: "([", count: 5_000) + "1" + String(repeating: "])", count: 5_000),
    "x = " + String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000),
    String(repeating: ")", count: 10_000), String(repeating: "]]", count: 5_000) + "\nseed 1",
    String(repeating: "-", count: 100_000) + "1", "1" + String(repeating: "*1", count: 100_000),
    "x" + String(repeating: ".y", count: 50_000), "x" + String(repeating: "[0]", count: 50_000),
    String(repeating: "9", count: 100_000), "1e" + String(repeating: "9", count: 1_000),
    "0." + String(repeating: "0", count: 10_000) + "1",
    String(repeating: "a", count: 100_000) + " b",
    "\"" + String(repeating: "x", count: 100_000), "'", "\"", "\\", "\"\\",
    String(repeating: "\n", count: 10_000), String(repeating: ";", count: 10_000),
    "print " + String(repeating: "x ", count: 10_000),
    "train " + (0..<2_000).map { "k\($0): \($0)" }.joined(separator: " "),
    "f(" + (0..<2_000).map { "k\($0): \($0)" }.joined(separator: ", ") + ")",
    "[" + String(repeating: "1, ", count: 10_000) + "]",
    String(repeating: "\u{0}", count: 1_000), "\u{FEFF}\u{FEFF}x", "\r\r\n\n\r",
  ]

  // MARK: - Invariants

  /// Parses `source` and checks every invariant; returns the number of diagnostics.
  @discardableResult
  static func check(_ source: String) -> Int {
    let (statements, diagnostics) = F.parse(source, file: "fuzz.rnn")
    let lines = linesOf(source)
    for diagnostic in diagnostics {
      let location = diagnostic.location
      let valid =
        location.file == "fuzz.rnn" && lines.indices.contains(location.line - 1)
        && (1...(lines[location.line - 1] + 1)).contains(location.column) && diagnostic.length >= 1
      #expect(valid, "bad location \(location) (+\(diagnostic.length)) for \(abbreviated(source))")
      let rendered = diagnostic.render(sourceLine: sourceLine(location.line, in: source))
      #expect(rendered.hasPrefix("fuzz.rnn:\(location.line):\(location.column): error: "))
    }
    for parsed in statements { checkRoundTrip(parsed, in: source) }
    _ = Parser.needsMoreInput(source)
    return diagnostics.count
  }

  /// The statement prints as source that parses to the same tree, and that is its own text.
  static func checkRoundTrip(_ parsed: ParsedStatement, in source: String) {
    #expect(!parsed.text.isEmpty)
    let printed = parsed.statement.description
    let reparsed = F.parse(printed, file: "fuzz.rnn")
    let same =
      reparsed.diagnostics.isEmpty && reparsed.statements.count == 1
      && reparsed.statements.first?.statement.structure == parsed.statement.structure
      && reparsed.statements.first?.text == printed
    #expect(
      same,
      "round trip of \(parsed.text.debugDescription) via \(printed.debugDescription): \(reparsed.diagnostics.map(\.description))")
  }

  /// The length in scalars of each line of `source`, split as the lexer splits lines.
  static func linesOf(_ source: String) -> [Int] {
    var lengths = [0]
    var previousWasCarriageReturn = false
    for scalar in source.unicodeScalars {
      defer { previousWasCarriageReturn = scalar == "\r" }
      if scalar == "\n" && previousWasCarriageReturn { continue }
      if scalar == "\n" || scalar == "\r" {
        lengths.append(0)
      } else {
        lengths[lengths.count - 1] += 1
      }
    }
    return lengths
  }

  // MARK: - Tests

  @Test func randomTokenSoup() {
    var rng = SplitMix64(seed: 1)
    var lines: [String] = []
    let clock = ContinuousClock()
    let elapsed = clock.measure {
      for _ in 0..<3_000 {
        let line = Self.soup(&rng)
        lines.append(line)
        Self.check(line)
      }
      Self.check(lines.joined(separator: "\n"))
    }
    #expect(elapsed < .seconds(60))
  }

  @Test func mutatedStatements() {
    var rng = SplitMix64(seed: 2)
    var broken = 0
    let elapsed = ContinuousClock().measure {
      for _ in 0..<3_000 where Self.check(Self.mutated(&rng)) > 0 { broken += 1 }
    }
    #expect(broken > 100)  // the mutations do break things, so the error paths were exercised
    #expect(elapsed < .seconds(60))
  }

  @Test func randomBytes() {
    var rng = SplitMix64(seed: 3)
    let elapsed = ContinuousClock().measure {
      for _ in 0..<2_000 { Self.check(Self.randomBytes(&rng)) }
    }
    #expect(elapsed < .seconds(60))
  }

  @Test(arguments: pathological.indices)
  func pathologicalInput(index: Int) {
    let source = Self.pathological[index]
    let elapsed = ContinuousClock().measure { Self.check(source) }
    #expect(elapsed < .seconds(20))
  }

  @Test func randomTreesSurviveTheRoundTrip() {
    var generator = RandomTree(rng: SplitMix64(seed: 4))
    for _ in 0..<3_000 {
      let statement = generator.statement()
      let printed = statement.description
      let reparsed = F.parse(printed)
      let same =
        reparsed.diagnostics.isEmpty && reparsed.statements.count == 1
        && reparsed.statements.first?.statement.structure == statement.structure
      #expect(same, "\(statement.structure) printed as \(printed)")
    }
  }

  @Test func quickstartStillParsesCleanly() {
    #expect(Self.check(F.quickstart) == 0)
  }

  @Test func longScriptParsesInReasonableTime() {
    let script = Array(repeating: F.quickstart, count: 2_000).joined(separator: "\n")
    var count = 0
    let elapsed = ContinuousClock().measure {
      let (statements, diagnostics) = F.parse(script)
      #expect(diagnostics.isEmpty)
      count = statements.count
    }
    #expect(count == 18_000)
    #expect(elapsed < .seconds(30))
  }
}

// MARK: - Generators (nested, so their names cannot clash with other test files)

extension SyntaxFuzzTests {
  /// Random syntax trees of every kind, for the printer's round trip. Names never spell a command
  /// (a command cannot be a variable), and numbers are never negative (the parser reads `-2` as a
  /// negation), since such trees cannot come out of the parser in the first place.
  struct RandomTree {
    var rng: SplitMix64
    let at = SourceLocation(line: 1, column: 1)
    let names = ["x", "net", "task", "W_rec", "N_rec", "_t", "r2"]
    let numbers: [Double] = [
      0, 1, 7, 0.9, 1e-3, 64000, 1e300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1 + 0.2,
      1e16,
      123456789.123, 9_007_199_254_740_994, 2.5e-8,
    ]
    let characters: [Unicode.Scalar] = [
      "a", " ", "\"", "'", "\\", "\n", "\t", "\r", "\u{0}", "é", "🙂", "#",
    ]

    mutating func statement(depth: Int = 2) -> Statement {
      switch Int.random(in: 0..<(depth > 0 ? 10 : 5), using: &rng) {
      case 0: return .expression(expression(depth: 4))
      case 1: return .command(command())
      case 2: return .assignment(name: pick(names), location: at, value: .command(command()))
      case 3:
        let path: [AssignmentTarget.Step] = [
          .field(pick(names), at: at), .index([.slice(start: nil, stop: expression(depth: 1), step: nil)], at: at),
        ]
        return .assignInto(
          AssignmentTarget(name: pick(names), path: Array(path.prefix(Int.random(in: 1...2, using: &rng))), location: at),
          value: .expression(expression(depth: 2)))
      case 4:
        return .assignment(
          name: pick(names), location: at, value: .expression(expression(depth: 4)))
      case 5:
        let branches = (0..<Int.random(in: 1...2, using: &rng)).map { _ in
          IfStatement.Branch(condition: expression(depth: 2), body: block(depth: depth - 1))
        }
        return .ifElse(
          IfStatement(branches: branches, otherwise: Bool.random(using: &rng) ? block(depth: depth - 1) : nil, location: at))
      case 6:
        var body = block(depth: depth - 1)
        body.statements.append(Bool.random(using: &rng) ? .breakLoop(at: at) : .continueLoop(at: at))
        return .forIn(ForStatement(variable: pick(names), sequence: expression(depth: 2), body: body, location: at))
      case 7:
        return .whileLoop(WhileStatement(condition: expression(depth: 2), body: block(depth: depth - 1), location: at))
      case 8:
        var body = block(depth: depth - 1)
        body.statements.append(.returnValue(Bool.random(using: &rng) ? expression(depth: 2) : nil, at: at))
        let parameters = Array(names.shuffled(using: &rng).prefix(Int.random(in: 0...3, using: &rng))).enumerated().map { i, n in
          FunctionDefinition.Parameter(name: n, defaultValue: i > 0 ? expression(depth: 1) : nil, location: at)
        }
        return .function(FunctionDefinition(name: "f" + pick(names), parameters: parameters, body: body, location: at))
      default:
        return .expression(expression(depth: 3))
      }
    }

    mutating func block(depth: Int) -> Block {
      Block(statements: (0..<Int.random(in: 0...2, using: &rng)).map { _ in statement(depth: depth) }, location: at)
    }

    mutating func command() -> Command {
      let verbs = Array(SyntaxFixture.commands).sorted()
      let arguments = (0..<Int.random(in: 0...3, using: &rng)).map { _ in expression(depth: 3) }
      let keys = Array(
        ["trial", "from", "to", "N_rec"].shuffled(using: &rng).prefix(
          Int.random(in: 0...3, using: &rng)))
      let options = keys.map { Argument(label: $0, value: expression(depth: 3), location: at) }
      return Command(name: pick(verbs), location: at, arguments: arguments, options: options)
    }

    mutating func expression(depth: Int) -> Expression {
      let kind = Int.random(in: 0..<(depth > 0 ? 15 : 5), using: &rng)
      switch kind {
      case 0: return .number(number(), at: at)
      case 1: return .string(string(), at: at)
      case 2: return .boolean(Bool.random(using: &rng), at: at)
      case 3: return .noneLiteral(at: at)
      case 4: return .name(pick(names), at: at)
      case 5: return .list(items(depth: depth - 1), at: at)
      case 6: return .member(expression(depth: depth - 1), name: pick(names), at: at)
      case 7:
        let subscripts: [Subscript] = (0..<Int.random(in: 1...3, using: &rng)).map { _ in
          Bool.random(using: &rng)
            ? .single(expression(depth: depth - 1))
            : .slice(
              start: Bool.random(using: &rng) ? expression(depth: depth - 1) : nil,
              stop: Bool.random(using: &rng) ? expression(depth: depth - 1) : nil,
              step: Bool.random(using: &rng) ? expression(depth: depth - 1) : nil)
        }
        return .index(expression(depth: depth - 1), subscripts: subscripts, at: at)
      case 11: return .not(expression(depth: depth - 1), at: at)
      case 12:
        let keys = Array(names.shuffled(using: &rng).prefix(Int.random(in: 0...3, using: &rng)))
        return .record(keys.map { RecordField(key: $0, value: expression(depth: depth - 1), location: at) }, at: at)
      case 13:
        let callee = Expression.member(.name(pick(names), at: at), name: pick(names), at: at)
        return .invoke(callee, arguments: items(depth: depth - 1).map { Argument(label: nil, value: $0, location: at) }, at: at)
      case 14:
        let splat = Argument(label: nil, value: .name(pick(names), at: at), location: at, isSplat: true)
        return .call(callee: "Basic", arguments: [splat], at: at)
      case 8: return .negate(expression(depth: depth - 1), at: at)
      case 9:
        let positional = items(depth: depth - 1).map {
          Argument(label: nil, value: $0, location: at)
        }
        let labels = Array(names.shuffled(using: &rng).prefix(Int.random(in: 0...2, using: &rng)))
        let labelled = labels.map {
          Argument(label: $0, value: expression(depth: depth - 1), location: at)
        }
        return .call(callee: "Basic", arguments: positional + labelled, at: at)
      default:
        let op = BinaryOperator.allCases.randomElement(using: &rng)!
        return .binary(expression(depth: depth - 1), op, expression(depth: depth - 1), at: at)
      }
    }

    mutating func items(depth: Int) -> [Expression] {
      (0..<Int.random(in: 0...3, using: &rng)).map { _ in expression(depth: depth) }
    }

    mutating func number() -> Double {
      if Bool.random(using: &rng) { return pick(numbers) }
      let value = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &rng) >> 1)
      return value.isFinite ? value : 1
    }

    mutating func string() -> String {
      var scalars = String.UnicodeScalarView()
      for _ in 0..<Int.random(in: 0...6, using: &rng) { scalars.append(pick(characters)) }
      return String(scalars)
    }

    mutating func pick<T>(_ choices: [T]) -> T { choices.randomElement(using: &rng)! }
  }

  /// A small seeded generator (SplitMix64), so every fuzz run sees the same inputs.
  struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }
}
