// The canonical printer: what it prints for each form, and the round trip parse → print →
// parse, which must give back the same tree (compared without locations) and print the same.
// `history save` relies on this to write replayable scripts.

import Testing

@testable import RNNScript

@Suite struct SyntaxRoundTripTests {
  typealias F = SyntaxFixture

  /// Statements printed in canonical form: (source, printed).
  static let canonicalForms: [(String, String)] = [
    ("seed 7", "seed 7"),
    (
      "task = PerceptualDiscrimination(dt: 10, tau: 100, T: 2000, N_batch: 128)",
      "task = PerceptualDiscrimination(dt: 10, tau: 100, T: 2000, N_batch: 128)"
    ),
    ("train net task training_iters: 64_000", "train net task training_iters: 64000"),
    ("x=1+2*3", "x = 1 + 2 * 3"), ("x = (1 + 2) * 3", "x = (1 + 2) * 3"),
    ("a - (b - c)", "a - (b - c)"), ("(a - b) - c", "a - b - c"), ("a + (b + c)", "a + (b + c)"),
    ("a / (b * c)", "a / (b * c)"), ("(a * b) / c", "a * b / c"), ("-(a + b)", "-(a + b)"),
    ("(-a)[0]", "(-a)[0]"), ("-a[0]", "-a[0]"), ("(a + b).T", "(a + b).T"), ("- -a", "--a"),
    ("ablate W_rec 3 -1", "ablate W_rec 3 -1"), ("ablate W_rec 3 - 1", "ablate W_rec (3 - 1)"), ("print 1+1", "print (1 + 1)"),
    ("for s in range(1, 9) { train net task; print s }", "for s in range(1, 9) {\n  train net task\n  print s\n}"),
    ("if a > 1 { b } else if a < 0 { c } else { d }", "if a > 1 {\n  b\n} else if a < 0 {\n  c\n} else {\n  d\n}"),
    ("def f(x, y: 2) { return x ** y }", "def f(x, y: 2) {\n  return x ** y\n}"),
    ("x = not a and b or c", "x = not a and b or c"), ("x = not (a and b)", "x = not (a and b)"),
    ("x = -2 ** 2", "x = -2 ** 2"), ("x = (-2) ** 2", "x = (-2) ** 2"), ("x = 2 ** 3 ** 2", "x = 2 ** 3 ** 2"),
    ("x = (2 ** 3) ** 2", "x = (2 ** 3) ** 2"), ("y = m[:, -1, ::2]", "y = m[:, -1, ::2]"),
    ("w.W_rec[0:10, 0:10] = 0", "w.W_rec[0:10, 0:10] = 0"), ("r = {a: 1, 'b c': [2]}", "r = {a: 1, \"b c\": [2]}"),
    ("n = Basic(**w, dt: 10)", "n = Basic(**w, dt: 10)"), ("s = f\"{x:.3f} {{}} {y}\"", "s = f\"{x:.3f} {{}} {y}\""),
    ("z = a @ b % c", "z = a @ b % c"), ("q = (a < b) == c", "q = (a < b) == c"), ("v = r.f(1)(2)", "v = r.f(1)(2)"),
    ("plot x (a + 1)", "plot x (a + 1)"), ("plot x ((a))", "plot x a"),
    ("plot  x[0]   [1,2,]", "plot x[0] [1, 2]"), ("print 'it\\'s'", #"print "it's""#),
    (#"s = "a\tb\n\"q\" \\""#, #"s = "a\tb\n\"q\" \\""#), ("b = True", "b = true"),
    ("n = None", "n = none"), ("x = 1e-5", "x = 1e-05"), ("x = 0.1", "x = 0.1"),
    ("x = 1e300", "x = 1e+300"), ("x = 1.5e15", "x = 1500000000000000"),
    ("m = Basic(task).W_rec[0][1]", "m = Basic(task).W_rec[0][1]"),
    (
      "c = Curriculum([t1,t2],thresholds:[0.9,0.9],)",
      "c = Curriculum([t1, t2], thresholds: [0.9, 0.9])"
    ),
    ("net = Basic(task,\n   N_rec: 50)", "net = Basic(task, N_rec: 50)"),
    ("r = simulate net x trial: 0", "r = simulate net x trial: 0"),
    ("x = \"two\nlines\"", #"x = "two\nlines""#), ("quit", "quit"), ("acc", "acc"),
  ]

  @Test(arguments: canonicalForms)
  func printsCanonicalSource(source: String, printed: String) {
    let (statements, diagnostics) = F.parse(source)
    #expect(diagnostics.isEmpty)
    #expect(statements.map(\.statement.description) == [printed])
  }

  @Test(arguments: canonicalForms.map(\.0) + F.quickstart.split(separator: "\n").map(String.init))
  func roundTripGivesTheSameTree(source: String) {
    let original = F.parse(source)
    let printed = original.statements.map(\.statement.description).joined(separator: "\n")
    let reparsed = F.parse(printed)
    #expect(reparsed.diagnostics.isEmpty)
    #expect(
      reparsed.statements.map(\.statement.structure)
        == original.statements.map(\.statement.structure))
    #expect(reparsed.statements.map(\.statement.description).joined(separator: "\n") == printed)
  }

  @Test func handBuiltTreesPrintWithTheParenthesesTheyNeed() {
    let at = SourceLocation(line: 1, column: 1)
    let a = Expression.name("a", at: at)
    let b = Expression.name("b", at: at)
    let sum = Expression.binary(a, .add, b, at: at)
    #expect(Expression.binary(sum, .multiply, a, at: at).description == "(a + b) * a")
    #expect(Expression.member(.number(-5, at: at), name: "x", at: at).description == "(-5).x")
    #expect(Expression.negate(.number(-5, at: at), at: at).description == "--5")
    #expect(Expression.number(2.5, at: at).description == "2.5")
    let command = Command(
      name: "plot", location: at, arguments: [a, sum],
      options: [Argument(label: "trial", value: sum, location: at)])
    #expect(command.description == "plot a (a + b) trial: a + b")
    #expect(Statement.command(command).structure == "(command plot a (+ a b) (trial: (+ a b)))")
  }
}
