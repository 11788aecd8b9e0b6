// The parser: every statement form of the language, precedence, continuation lines, `;`, error
// messages with exact locations and suggestions, recovery, nesting limits and `needsMoreInput`.
// Trees are compared as S-expressions (`structure`), which leave locations out.

import Testing

@testable import RNNScript

@Suite struct SyntaxParserTests {
  typealias F = SyntaxFixture

  // MARK: - The quickstart

  @Test func quickstartParsesToTheExpectedTrees() {
    #expect(
      F.structures(F.quickstart) == [
        "(command seed 7)",
        "(= task (call PerceptualDiscrimination (dt: 10) (tau: 100) (T: 2000) (N_batch: 128)))",
        "(= net (call Basic task (N_rec: 50)))",
        "(command train net task (training_iters: 64000))",
        "(= acc (command accuracy net task))",
        "(command print acc)",
        "(command plot loss net)",
        "(command plot states net task (trial: 0))",
        #"(command save net "pd_weights.npz")"#,
      ])
  }

  @Test func quickstartStatementsKnowTheirSource() {
    let (statements, diagnostics) = F.parse(F.quickstart)
    #expect(diagnostics.isEmpty)
    #expect(statements.map(\.text) == F.quickstart.split(separator: "\n").map(String.init))
    #expect(statements[3].range.start == SourceLocation(file: "script.rnn", line: 4, column: 1))
    #expect(statements[3].range.end == SourceLocation(file: "script.rnn", line: 4, column: 37))
  }

  @Test func quickstartLocations() {
    let (statements, _) = F.parse(F.quickstart, file: nil)
    guard case .command(let train) = statements[3].statement,
      case .assignment(let name, let location, .expression(let call)) = statements[1].statement,
      case .call(_, let arguments, _) = call
    else {
      Issue.record("unexpected statement kinds")
      return
    }
    #expect(train.location == SourceLocation(line: 4, column: 1))
    #expect(train.arguments.map(\.location.column) == [7, 11])
    #expect(train.options.map(\.location.column) == [16])
    #expect(name == "task" && location == SourceLocation(line: 2, column: 1))
    #expect(call.location == SourceLocation(line: 2, column: 8))
    #expect(arguments.map(\.location.column) == [33, 41, 51, 60])
    #expect(arguments[0].value.location.column == 37)
  }

  // MARK: - Statement forms

  @Test(arguments: [
    // Literals, names, lists.
    ("7", "7"), ("0.9", "0.9"), ("1e-3", "0.001"), ("64_000", "64000"),
    (#""f.npz""#, #""f.npz""#), ("'f.npz'", #""f.npz""#), ("True", "true"), ("false", "false"),
    ("None", "none"), ("none", "none"), ("acc", "acc"), ("[0.9, 0.9,]", "(list 0.9 0.9)"),
    ("[]", "(list)"), ("[[1], []]", "(list (list 1) (list))"),
    // Field access and indexing.
    ("r.outputs", "(. r outputs)"), ("net.W_rec", "(. net W_rec)"),
    ("task.N_steps", "(. task N_steps)"), ("x[0]", "(index x 0)"),
    ("x[0][3]", "(index (index x 0) 3)"), ("x[-1]", "(index x (- 1))"),
    ("net.W_rec[0].T", "(. (index (. net W_rec) 0) T)"),
    // Calls.
    ("load(\"file.npz\")", #"(call load "file.npz")"#), ("f()", "(call f)"),
    ("Basic(task, N_rec: 50, dale_ratio: 0.8)", "(call Basic task (N_rec: 50) (dale_ratio: 0.8))"),
    ("Basic(task,)", "(call Basic task)"),
    (
      "Curriculum([t1, t2], thresholds: [0.9, 0.9])",
      "(call Curriculum (list t1 t2) (thresholds: (list 0.9 0.9)))"
    ),
    ("Basic(task).W_rec", "(. (call Basic task) W_rec)"), ("f (1)", "(call f 1)"),
    // Assignments.
    ("x = 3", "(= x 3)"), ("r = simulate net x", "(= r (command simulate net x))"),
    ("acc = accuracy net task", "(= acc (command accuracy net task))"),
    ("y = train.x", "ERROR script.rnn:1:5: error: 'train' is a command: start a statement with it, or call it, as in train(…)"),
  ])
  func expressionsAndAssignments(source: String, expected: String) {
    #expect(F.structure(source) == expected)
  }

  @Test(arguments: [
    ("ablate W_rec 3 7", "(command ablate W_rec 3 7)"),
    ("ablate net unit 4 from: 500 to: 800", "(command ablate net unit 4 (from: 500) (to: 800))"),
    ("ablate W_rec 3 -1", "(command ablate W_rec 3 (- 1))"),
    ("ablate W_rec 3 - 1", "(command ablate W_rec (- 3 1))"),
    ("plot states net task trial: 0", "(command plot states net task (trial: 0))"),
    (#"save net "file.npz""#, #"(command save net "file.npz")"#),
    ("seed 7", "(command seed 7)"), ("print acc", "(command print acc)"),
    (#"history save "session.rnn""#, #"(command history save "session.rnn")"#),
    (#"source "other.rnn""#, #"(command source "other.rnn")"#),
    ("help train", "(command help train)"), ("restore", "(command restore)"),
    ("quit", "(command quit)"), ("vars", "(command vars)"), ("show -x", "(command show (- x))"),
    (
      #"plot x[0] net.W_rec "f.npz" [1,2] (a + 1)"#,
      #"(command plot (index x 0) (. net W_rec) "f.npz" (list 1 2) (+ a 1))"#
    ),
    ("plot x [0]", "(command plot x (list 0))"), ("plot [1, 2]", "(command plot (list 1 2))"),
    ("print (a + 1)", "(command print (+ a 1))"), ("print(a)", "(call print a)"),
    ("plot[0]", "ERROR script.rnn:1:1: error: 'plot' is a command: start a statement with it, or call it, as in plot(…)"),
    ("save.path", "ERROR script.rnn:1:1: error: 'save' is a command: start a statement with it, or call it, as in save(…)"),
    (
      "train net task trial: 0 + 1 seed: -2",
      "(command train net task (trial: (+ 0 1)) (seed: (- 2)))"
    ),
    ("train net task lr: x [0]", "(command train net task (lr: (index x 0)))"),
    ("use True None 'a'", #"(command use true none "a")"#),
  ])
  func commands(source: String, expected: String) {
    #expect(F.structure(source) == expected)
  }

  @Test(arguments: [
    ("1 + 2 * 3", "(+ 1 (* 2 3))"), ("(1 + 2) * 3", "(* (+ 1 2) 3)"),
    ("1 - 2 - 3", "(- (- 1 2) 3)"), ("8 / 4 / 2", "(/ (/ 8 4) 2)"),
    ("-2 * 3", "(* (- 2) 3)"), ("2 * -3", "(* 2 (- 3))"), ("a - -b", "(- a (- b))"),
    ("-x.y[0]", "(- (index (. x y) 0))"), ("--x", "(- (- x))"),
    ("1 + 2 * 3 - 4 / 5", "(- (+ 1 (* 2 3)) (/ 4 5))"), ("a * (b + c) / d", "(/ (* a (+ b c)) d)"),
    ("((7))", "7"),
  ])
  func precedence(source: String, expected: String) {
    #expect(F.structure(source) == expected)
  }

  // MARK: - Layout: continuation lines, separators, comments

  @Test func bracketsContinueAStatementOverLines() {
    let source = """
      task = PerceptualDiscrimination(
        dt: 10,   # milliseconds
        tau: 100,
      )
      net = Basic(task,
                  N_rec: 50)
      """
    let (statements, diagnostics) = F.parse(source)
    #expect(diagnostics.isEmpty)
    #expect(
      statements.map(\.statement.structure) == [
        "(= task (call PerceptualDiscrimination (dt: 10) (tau: 100)))",
        "(= net (call Basic task (N_rec: 50)))",
      ])
    #expect(
      statements[0].text
        == "task = PerceptualDiscrimination(\n  dt: 10,   # milliseconds\n  tau: 100,\n)")
    #expect(statements[0].range.end == SourceLocation(file: "script.rnn", line: 4, column: 2))
    #expect(statements[1].range.start.line == 5)
  }

  @Test func semicolonsSeparateStatements() {
    let (statements, diagnostics) = F.parse("seed 7; x = 1;; print x ;")
    #expect(diagnostics.isEmpty)
    #expect(statements.map(\.text) == ["seed 7", "x = 1", "print x"])
    #expect(statements.map(\.range.start.column) == [1, 9, 17])
  }

  @Test func blankLinesAndCommentsAreSkipped() {
    #expect(F.structures("\n# only a comment\n\n  seed 7  # trailing\n\n") == ["(command seed 7)"])
    #expect(F.structures("").isEmpty)
  }

  // MARK: - Errors

  @Test func unknownCommandSuggestsTheClosestVerb() {
    #expect(
      F.errors("trian net task") == [
        """
        script.rnn:1:1: error: unknown command 'trian' (did you mean 'train'?)
            trian net task
            ^~~~~
        """
      ])
  }

  @Test func atThePromptThePositionIsLeftOut() {
    let (_, diagnostics) = F.parse("  trian net task", file: nil)
    #expect(
      diagnostics.map { $0.render(sourceLine: "  trian net task") } == [
        """
        error: unknown command 'trian' (did you mean 'train'?)
              trian net task
              ^~~~~
        """
      ])
  }

  @Test func keyEqualsValueSuggestsKeyColonValue() {
    #expect(
      F.errors("train net task training_iters=64000") == [
        """
        script.rnn:1:16: error: use ':' for options, not '=' (did you mean 'training_iters: 64000'?)
            train net task training_iters=64000
                           ^~~~~~~~~~~~~~~
        """
      ])
  }

  @Test(arguments: [
    ("train = 3", "1:1: error: cannot assign to 'train': it is a command", 5),
    (#"save net "w.npz"#, "1:10: error: unterminated string", 6),
    ("x = (1 + 2", "1:5: error: '(' is never closed", 1),
    ("x = [1, 2\n\n", "1:5: error: '[' is never closed", 1),
    ("x[0", "1:2: error: '[' is never closed", 1),
    ("x = 1 + 2)", "1:10: error: unmatched ')'", 1),
    ("train net task]", "1:15: error: unmatched ']'", 1),
    ("x = 3 4", "1:7: error: expected end of statement, found number 4", 1),
    ("x = 3 y", "1:7: error: expected end of statement, found name 'y'", 1),
    (
      "plot states net task trial: 0 net",
      "1:31: error: positional argument after options (positional arguments come first)", 3
    ),
    ("plot states trial: 0 trial: 1", "1:22: error: option 'trial' is given twice", 5),
    (
      "Basic(N_rec: 50, task)",
      "1:18: error: positional argument after labelled arguments (positional arguments come first)",
      4
    ),
    ("Basic(task, N_rec: 5, N_rec: 6)", "1:23: error: argument 'N_rec' is given twice", 5),
    (
      "Basic(task, N_rec = 50)",
      "1:13: error: use ':' for labelled arguments, not '=' (did you mean 'N_rec: 50'?)", 7
    ),
    ("f(x) = 3", "1:1: error: cannot assign to 'f(x)': only a name, a field or an indexed part can be assigned to", 4),
    ("break", "1:1: error: 'break' outside a loop", 5), ("return 1", "1:1: error: 'return' outside a function", 6),
    ("for 1 in x { }", "1:5: error: expected a loop variable after 'for', found number 1", 1),
    ("for i x { }", "1:7: error: expected 'in' after 'for i', found name 'x'", 1),
    ("if x { a }\nelse { b }", "2:1: error: 'else' without 'if': write it on the line of the closing brace, as in '} else {'", 4),
    ("a < b < c", "1:7: error: comparisons do not chain: write (a < b) and (b < c)", 1),
    ("def f(a: 1, b) { }", "1:13: error: parameter 'b' needs a default: parameters with defaults come last", 1),
    ("x = f\"{a\"", "1:5: error: '{' is never closed in this f-string", 4),
    ("}", "1:1: error: unmatched '}'", 1),
    ("x = ", "1:5: error: expected an expression, found end of input", 1),
    ("x = \ny = 1", "1:5: error: expected an expression, found end of line", 1),
    ("net.", "1:5: error: expected a field name after '.', found end of input", 1),
    ("net.3", "1:5: error: expected a field name after '.', found number 3", 1),
    ("foo bar", "1:1: error: unknown command 'foo'", 3),
    ("Train net task", "1:1: error: unknown command 'Train' (did you mean 'train'?)", 5),
    (
      "acc = acuracy net task",
      "1:7: error: unknown command 'acuracy' (did you mean 'accuracy'?)", 7
    ),
    ("print a +", "1:10: error: expected an expression, found end of input", 1),
    ("x = 1 € 2", "1:7: error: unexpected character '€' (U+20AC)", 1),
    ("x = 1e999", "1:5: error: number '1e999' is too large", 5),
    ("x = 3x", "1:5: error: invalid number '3x'", 2),
    ("[1 2]", "1:4: error: expected ',' or ']' in the list, found number 2", 1),
    ("f(1 2)", "1:5: error: expected ',' or ')' in the arguments of 'f', found number 2", 1),
    ("x = (1 2)", "1:8: error: expected ')' after the expression, found number 2", 1),
    ("x[1 2]", "1:5: error: expected ',' or ']' after the index, found number 2", 1),
    ("x = )", "1:5: error: expected an expression, found ')'", 1),
    (") x", "1:1: error: expected an expression, found ')'", 1),
    ("x = 1 = 2", "1:7: error: expected end of statement, found '='", 1),
    ("seed: 7", "1:5: error: expected end of statement, found ':'", 1),
  ])
  func errorMessagesAndLocations(source: String, expected: String, length: Int) {
    let diagnostics = F.parse(source).diagnostics
    #expect(diagnostics.map(\.description) == ["script.rnn:" + expected])
    #expect(diagnostics.first?.length == length)
  }

  @Test func oneScriptReportsEveryBrokenStatement() {
    let source = """
      seed 7
      trian net task
      x = (1 + )
      train net task training_iters=10
      print x
      """
    let (statements, diagnostics) = F.parse(source)
    #expect(statements.map(\.text) == ["seed 7", "print x"])
    #expect(
      diagnostics.map(\.description) == [
        "script.rnn:2:1: error: unknown command 'trian' (did you mean 'train'?)",
        "script.rnn:3:10: error: expected an expression, found ')'",
        "script.rnn:4:16: error: use ':' for options, not '=' (did you mean 'training_iters: 10'?)",
      ])
  }

  @Test func errorsAfterSemicolonsAreReportedSeparately() {
    #expect(
      F.headers("x = ; y = )) ; print z") == [
        "script.rnn:1:5: error: expected an expression, found ';'",
        "script.rnn:1:11: error: expected an expression, found ')'",
      ])
  }

  @Test func unclosedBracketIsReportedWhereItOpens() {
    #expect(
      F.headers("seed 7\nf(1\nx = 2\n") == [
        "script.rnn:2:2: error: '(' is never closed",
        "script.rnn:3:1: error: expected ',' or ')' in the arguments of 'f', found name 'x'",
      ])
  }

  @Test func parsingTwiceGivesTheSameResult() {
    let parser = Parser(source: "seed 7\ntrian x\n", commands: F.commands)
    let first = parser.parse()
    let second = parser.parse()
    #expect(first.statements == second.statements && first.diagnostics == second.diagnostics)
  }

  // MARK: - Nesting limit

  @Test func nestingUpToTheLimitParses() {
    let depth = 200
    let source =
      "x = " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
    #expect(F.structure(source) == "(= x 1)")
  }

  @Test(arguments: [
    String(repeating: "(", count: 300) + "1" + String(repeating: ")", count: 300),
    String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
    String(repeating: "-", count: 10_000) + "1",
    "1" + String(repeating: " + 1", count: 1_000),
    "x" + String(repeating: "[0]", count: 1_000),
    "x" + String(repeating: ".y", count: 1_000),
  ])
  func tooDeepNestingIsOneDiagnostic(source: String) {
    let (statements, diagnostics) = F.parse(source + "\nseed 7")
    #expect(
      diagnostics.map(\.message) == [
        "expression is too deep or too long (more than 256 levels of brackets and operators): split it into several statements with variables"
      ])
    #expect(statements.map(\.text) == ["seed 7"])
  }

  // MARK: - Continuation prompt

  @Test(arguments: [
    ("net = Basic(task,", true), ("x = [1, 2", true), (#"print "abc"#, true),
    ("print 'abc", true), (#"print "a\""#, true), ("f(\n1\n", true), ("f([1,\n2]", true),
    ("x = (1 + 2)", false), ("x = 1)", false), ("# comment (", false), (#"print "(""#, false),
    ("f(\n1)\n", false), ("", false), ("seed 7", false), ("x = (1]", false),
  ])
  func needsMoreInput(text: String, expected: Bool) {
    #expect(Parser.needsMoreInput(text) == expected)
  }
}
