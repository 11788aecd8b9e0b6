// The language carries real work: the whitespace rule for command arguments, blocks and control
// flow, functions (scope, defaults, recursion cap, call chain, values), records, lists, strings,
// f-strings (checked against Python's own `format`), assignment into parts, commands called as
// functions, and option checking on every command.

import Foundation
import Linear
import PsychRNN
import TestSupport
import Testing

@testable import RNNScript

@discardableResult
private func run(_ source: String, in session: Session = Session()) throws -> [Value] {
  try runScript(source, in: session)
}

private func texts(_ values: [Value]) -> [String] { values.map(Printer.plain) }

private func error(_ source: String, in session: Session = Session()) -> RuntimeError? {
  do { try run(source, in: session); return nil } catch let e as RuntimeError { return e } catch { return nil }
}

private func value(_ name: String, _ s: Session) -> String { s.variables[name].map(Printer.plain) ?? "missing" }

// MARK: - Arithmetic in command arguments

@Test(arguments: [
  ("print 6 * 7", ["42"]), ("print 1+1", ["2"]), ("x = 4\nprint x * 100", ["400"]),
  ("print 3 -1", ["3 -1"]), ("print 3 - 1", ["2"]), ("print 3-1", ["2"]), ("print 2 ** 3 % 5", ["3"]),
  ("print 1 < 2 and 2 < 3", ["true"]), ("print not 1 == 2", ["true"]), ("print [1, 2] [3]", ["[1, 2] [3]"]),
])
func commandArgumentsFollowTheWhitespaceRule(source: String, expected: [String]) throws {
  #expect(texts(try run(source)) == expected)
}

@Test func ablateKeepsThreeArguments() throws {
  let (statements, _) = Parser(source: "ablate W_rec 3 -1", commands: Commands.verbs).parse()
  guard case .command(let c) = statements.first?.statement else { Issue.record("not a command"); return }
  #expect(c.arguments.count == 3)
}

// MARK: - Blocks and control flow

@Test func loopsAndBranches() throws {
  let s = Session()
  let shown = try run(
    """
    total = 0
    for i in range(1, 6) {
      if i == 2 { continue } else if i == 5 { break } else { total = total + i }
    }
    k = 0
    while true {
      k = k + 1
      if k >= 7 { break }
    }
    for name in ["a", "b"] { print name }
    for row in reshape(arange(6), [3, 2]) { print row }
    for c in "hi" { print c }
    """, in: s)
  #expect(value("total", s) == "8")  // 1 + 3 + 4
  #expect(value("k", s) == "7")
  #expect(texts(shown) == ["a", "b", "[0, 1]", "[2, 3]", "[4, 5]", "h", "i"])
}

@Test func conditionsOnArraysAreAmbiguousAsInNumpy() {
  let e = error("if [1, 2] > 0 { print 1 }")
  #expect(e?.message.contains("is ambiguous: use any(…) or all(…), or where(condition, x, y)") == true)
  #expect(error("if [3] > 0 { print 1 }") == nil)  // a one-element array is fine, as in numpy
}

@Test func loopsStopWhenCancelled() throws {
  let s = Session()
  var polls = 0
  s.isCancelled = {
    polls += 1
    return polls > 3
  }
  #expect(throws: Interrupted.self) { try run("n = 0\nwhile true { n = n + 1 }", in: s) }
  #expect(value("n", s) == "3")  // everything done before the stop is kept
}

// MARK: - Functions

@Test func functionsHaveLocalScopeDefaultsAndRecursion() throws {
  let s = Session()
  try run(
    """
    x = 10
    def scale(v, factor: 2) {
      x = v * factor
      return x
    }
    a = scale(3)
    b = scale(3, factor: 5)
    c = scale(factor: 0.5, v: 8)
    def fact(n) {
      if n <= 1 { return 1 }
      return n * fact(n - 1)
    }
    f10 = fact(10)
    def counter(start) {
      def next(step) { return start + step }
      return next
    }
    inc = counter(100)
    d = inc(5)
    r = {f: scale}
    e = r.f(7)
    def nothing() { y = 1 }
    n = nothing()
    """, in: s)
  #expect(value("x", s) == "10")  // the function's x was its own
  #expect([value("a", s), value("b", s), value("c", s)] == ["6", "15", "4"])
  #expect(value("f10", s) == "3628800")
  #expect(value("d", s) == "105")  // a closure over the enclosing call's parameter
  #expect(value("e", s) == "14")
  #expect(value("n", s) == "none")
}

@Test func functionArgumentErrorsSayWhatTheFunctionTakes() {
  let s = Session()
  _ = try? run("def f(a, b: 1) { return a + b }", in: s)
  #expect(error("f()", in: s)?.message == "f() needs 'a'")
  #expect(error("f(1, 2, 3)", in: s)?.message == "f() takes 2 arguments, got more")
  let e = error("f(1, bb: 2)", in: s)
  #expect(e?.message == "f() has no parameter 'bb' (it takes a, b)" && e?.suggestion == "b")
}

@Test func runawayRecursionIsAClearError() {
  let s = Session()
  _ = try? run("def down(n) { return down(n + 1) }", in: s)
  let e = error("down(0)", in: s)
  #expect(e?.message == "calls nest deeper than \(Session.maximumCallDepth) levels (does down call itself without end?)")
  #expect(e?.callChain.count == Session.maximumCallDepth)
  #expect(s.callDepth == 0 && s.scope == nil)  // the session is back at the top level
}

@Test func anErrorInsideAFunctionCarriesTheCallChain() throws {
  let source = """
    def inner(v) {
      return v + "text"
    }
    def outer(v) {
      return inner(v * 2)
    }
    outer(1)
    """
  let (statements, diagnostics) = Parser(source: source, file: "chain.rnn", commands: Commands.verbs).parse()
  #expect(diagnostics.isEmpty)
  let s = Session()
  var caught: RuntimeError?
  do { for st in statements { _ = try s.execute(st) } } catch let e as RuntimeError { caught = e }
  let e = try #require(caught)
  #expect(e.message == "cannot apply '+' to a number and a string")
  #expect(e.location == SourceLocation(file: "chain.rnn", line: 2, column: 12))
  #expect(e.sourceLine == "  return v + \"text\"")
  #expect(e.callChain.map(\.function) == ["inner", "outer"])
  #expect(e.callChain.map(\.location.description) == ["chain.rnn:5:10", "chain.rnn:7:1"])
}

@Test func functionsAreValuesAndPerformanceMeasures() throws {
  let s = Session()
  let shown = try run(
    """
    seed 1
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 200, N_batch: 16)
    net = Basic(task, N_rec: 8)
    calls = 0
    def measure(batch, outputs, epoch, losses) {
      return epoch / 4
    }
    r = train net task training_iters: 160 performance_measure: measure performance_cutoff: 1
    print r.stop_reason r.steps
    """, in: s)
  #expect(texts(shown) == ["performance_cutoff reached 4"])
}

// MARK: - Records, lists, strings

@Test func recordsListsAndStrings() throws {
  let s = Session()
  let shown = try run(
    """
    r = {coherence: 0.5, direction: 1}
    r.a = 3
    r["direction"] = 0
    print keys(r) r.coherence r["a"] len(r)
    xs = [1, 2, 3] + [4]
    xs[-1] = 40
    xs = append(xs, 5)
    print xs xs[1:3] xs[::-2] len(xs)
    t = "seed " + str(3)
    print t t[0:4] len(t)
    nested = {inner: {v: [1, 2]}}
    nested.inner.v[0] = 9
    print nested.inner.v
    """, in: s)
  #expect(
    texts(shown) == [
      "[\"coherence\", \"direction\", \"a\"] 0.5 3 3",
      "[1, 2, 3, 40, 5] [2, 3] [5, 3, 1] 5",
      "seed 3 seed 6",
      "[9, 2]",
    ])
}

/// Assigning into part of a variable changes its value in place (no copy of a lone array), yet
/// every value keeps value semantics, a failed assignment leaves the variable as it was, and the
/// subscripts may read the variable itself. At the top level and inside a function.
@Test(arguments: [false, true])
func assignmentIntoPartsKeepsValueSemantics(inFunction: Bool) throws {
  let body = """
    x = zeros(3, 2)
    y = x
    x[:, 1] = [1, 2, 3]
    x[len(x) - 1, 0] = 7
    r = {w: x}
    r.w[0, 0] = 5
    xs = [x, 1]
    xs[0][1, 1] = 9
    """
  let result = "{x: x, y: y, w: r.w, z: xs[0]}"
  let script = inFunction ? "def f() {\n\(body)\nreturn \(result)\n}\nout = f()" : "\(body)\nout = \(result)"
  let s = Session()
  try run(script, in: s)
  func values(_ v: Value?) -> [Double]? {
    if case .array(let a)? = v { return a.values }
    return nil
  }
  guard case .record(let out)? = s.variables["out"] else {
    Issue.record("no record")
    return
  }
  #expect(values(out["x"]) == [0, 1, 0, 2, 7, 3])
  #expect(values(out["y"]) == [0, 0, 0, 0, 0, 0])
  #expect(values(out["w"]) == [5, 1, 0, 2, 7, 3])
  #expect(values(out["z"]) == [0, 1, 0, 9, 7, 3])

  let t = Session()
  try run("x = ones(2, 2)\nxs = [1, 2]\nr = {a: 1}", in: t)
  for bad in [
    "x[5, 0] = 1", "x[0] = [1, 2, 3]", "x[0, 0] = \"a\"", "xs[7] = 0", "xs[0:2] = [1]", "r.a.b = 2", "x[undefined] = 1",
  ] {
    #expect(throws: RuntimeError.self, "\(bad)") { try run(bad, in: t) }
  }
  #expect(values(t.variables["x"]) == [1, 1, 1, 1])
  #expect(texts(try run("xs", in: t)) == ["[1, 2]"])
  if case .record(let r)? = t.variables["r"] { #expect(r["a"]?.numeric == 1) } else { Issue.record("r is gone") }

  // A refused assignment into a network that is not the current one leaves the current one.
  try run(
    "task = PerceptualDiscrimination(dt: 10, tau: 100, T: 200, N_batch: 8)\nfirst = Basic(task, N_rec: 4)\nsecond = Basic(task, N_rec: 4)",
    in: t)
  #expect(t.currentNetwork == "second")
  #expect(throws: RuntimeError.self) { try run("first.W_rec[0, 0] = 1", in: t) }
  #expect(t.currentNetwork == "second")
  if case .network? = t.variables["first"] {} else { Issue.record("first is gone") }
}

@Test func splattingARecordGivesLabelledArguments() throws {
  let s = Session()
  try run(
    """
    params = {dt: 10, tau: 100, T: 300, N_batch: 4}
    task = PerceptualDiscrimination(**params, coherence: 0.2)
    """, in: s)
  guard case .task(let t)? = s.variables["task"] else { Issue.record("no task"); return }
  #expect(t.task.timing.nSteps == 30 && t.task.timing.nBatch == 4)
  #expect(error("x = PerceptualDiscrimination(**3)", in: s)?.message.hasPrefix("** needs a record") == true)
}

// MARK: - f-strings against Python's format

@Test func formatSpecificationsMatchPython() throws {
  let cases: [(Double, String)] = [
    (0.87512, ".3f"), (-0.87512, ".3f"), (12345678, ","), (12345678.5, ",.2f"), (42, ">6d"), (42, "<6d"), (42, "^7d"),
    (42, "06d"), (-42, "06d"), (0.000123, ".2e"), (0.000123, "+.2e"), (1234.5, "E"), (0.875, ".1%"), (0.5, "%"),
    (3, "+d"), (3, " d"), (1e-7, "g"), (123456789, ".3g"), (2.5, "*^9.1f"), (-2.5, "=+8.2f"), (7, "x<4d"), (1e20, ".2f"),
    (1234567, "_d"), (0.1, ".10f"), (100, "G"),
  ]
  let script =
    "import sys\nfor v, spec in [" + cases.map { "(\($0.0.description), '\($0.1)')" }.joined(separator: ", ")
    + "]:\n  print(format(int(v) if v == int(v) and spec[-1] not in 'fFeE%' else v, spec))\n"
  let expected = try Python.run(script).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
  #expect(expected.count == cases.count)
  let s = Session()
  for ((v, spec), python) in zip(cases, expected) {
    let ours = texts(
      try run(
        "print f\"{x:\(spec)}\"",
        in: {
          s.define("x", .number(v)); return s
        }()))
    #expect(ours == [python], "format(\(v), '\(spec)')")
  }
  #expect(texts(try run("n = \"pd\"\nprint f\"[{n:>5}] [{n:<4}] [{n:^6}] {{}} {3 + 4}\"")) == ["[   pd] [pd  ] [  pd  ] {} 7"])
  #expect(error("print f\"{1:q}\"")?.message.hasPrefix("format 'q':") == true)
  #expect(error("print f\"{'ab':d}\"")?.message == "format 'd': 'd' formats numbers, not text")
}

// MARK: - Commands as functions, option checking

@Test func commandsAreCallableAsFunctions() throws {
  let s = Session()
  let shown = try run(
    """
    seed 2
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 200, N_batch: 8)
    net = Basic(task, N_rec: 6)
    a = accuracy(net, task)
    print f"{accuracy(net, task):.2f}" len(test(net, task).outputs)
    """, in: s)
  #expect(s.variables["a"].flatMap { if case .number(let d) = $0 { d } else { nil } } != nil)
  #expect(texts(shown).first?.hasSuffix(" 8") == true)
}

@Test(arguments: [
  ("accuracy net task trails: 3", "unknown option 'trails' for accuracy (accuracy takes no options)", nil as String?),
  ("plot outputs net task trail: 0", "unknown option 'trail' for plot (plot takes trial: title:", "trial"),
  ("train net task training_iter: 10", "unknown option 'training_iter' for train", "training_iters"),
  ("restore net now: 1", "unknown option 'now' for restore (restore takes no options)", nil),
])
func everyCommandChecksItsOptions(source: String, message: String, suggestion: String?) throws {
  let s = Session()
  try run("task = PerceptualDiscrimination(dt: 10, tau: 100, T: 200, N_batch: 8)\nnet = Basic(task, N_rec: 6)", in: s)
  let e = error(source, in: s)
  #expect(e?.message.hasPrefix(message) == true, "\(e?.message ?? "no error")")
  #expect(e?.suggestion == suggestion)
  // The caret points at the option, not at the command.
  #expect(
    e?.location?.column == source.distance(
      from: source.startIndex, to: source.range(of: source.split(separator: " ").last(where: { $0.hasSuffix(":") })!)!.lowerBound)
      + 1)
}

@Test func unknownNamesAndFunctionsSayWhatExists() {
  let s = Session()
  s.define("accuracy_by_seed", .number(1))
  #expect(error("accuracy_by_sed", in: s)?.suggestion == "accuracy_by_seed")
  let e = error("x = mena([1, 2])", in: s)
  #expect(e?.message == "unknown function 'mena'" && e?.suggestion == "mean")
  let (_, diagnostics) = Parser(source: "x = accuracy", commands: Commands.verbs).parse()
  #expect(diagnostics.isEmpty)  // `x = accuracy` is the command with no arguments…
  #expect(error("x = accuracy", in: s)?.message.hasPrefix("no network yet") == true)  // …which says what it needs
}
