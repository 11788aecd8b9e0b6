// The plan of a sweep: grid arguments read into axes, the cartesian product in row-major order
// (checked against itertools.product, the order Slurm users decode $SLURM_ARRAY_TASK_ID in), ranges,
// seeded random draws, and the errors of malformed arguments.

import Foundation
import Testing
import TestSupport
@testable import Sweep

@Suite struct PlanTests {
  @Test func gridIsRowMajorWithTheLastNameFastest() throws {
    let plan = try SweepPlan.make(
      [try GridAxis.parse("s=1,2,3"), try GridAxis.parse("lr=0.001,0.01"), try GridAxis.parse("opt=adam,sgd")], mode: .grid)
    #expect(plan.names == ["s", "lr", "opt"])
    let python = try Python.run(
      """
      import itertools, json
      print(json.dumps([list(p) for p in itertools.product([1, 2, 3], [0.001, 0.01], ["adam", "sgd"])]))
      """)
    let expected = try JSONDecoder().decode([[BoundValue]].self, from: Data(python.utf8))
    #expect(plan.points == expected)
  }
}

@Suite struct GridArgumentTests {
  @Test func rangesExpandInclusivelyWithAStep() throws {
    #expect(try GridAxis.parse("s=1..5").gridValues() == [1, 2, 3, 4, 5].map { .number($0) })
    #expect(try GridAxis.parse("s=0..100:25").gridValues() == [0, 25, 50, 75, 100].map { .number($0) })
    #expect(try GridAxis.parse("s=3..3").gridValues() == [.number(3)])
  }

  @Test func listsHoldNumbersStringsAndLists() throws {
    let axis = try GridAxis.parse("v=1e-3,adam,\"a,b\",[1, 2],true,-4")
    #expect(
      try axis.gridValues() == [
        .number(0.001), .string("adam"), .string("a,b"), .list([.number(1), .number(2)]), .bool(true), .number(-4),
      ])
  }

  /// Each malformed argument is refused with the argument named and what is wrong.
  @Test(arguments: [
    ("s", "expected NAME=VALUES"),
    ("=1,2", "the name before '=' is missing"),
    ("2x=1", "'2x' is not a variable name"),
    ("s=", "no values after '='"),
    ("s=1,,2", "an empty value in the list"),
    ("s=5..1", "is empty"),
    ("s=1..x", "a range is LOW..HIGH with two numbers"),
    ("s=1..4:0", "after ':' comes a positive step or 'log'"),
    ("s=[1,2", "a '[' is not closed"),
    ("s=\"abc", "a string is not closed"),
    ("s=1],2", "a ']' without its '['"),
  ])
  func malformedGridsSayWhatIsWrong(text: String, problem: String) {
    do {
      let axis = try GridAxis.parse(text)
      _ = try axis.gridValues()
      Issue.record("\(text) was accepted")
    } catch {
      #expect(error.description.hasPrefix("--grid \(text.prefix(1))"), "\(error)")
      #expect(error.description.contains(problem), "\(error)")
    }
  }

  @Test func fractionalGridRangesAndRepeatedNamesAreRefused() throws {
    #expect(throws: SweepError.self) { try GridAxis.parse("lr=0.1..0.5").gridValues() }
    #expect(throws: SweepError.self) { try SweepPlan.make([try GridAxis.parse("s=1"), try GridAxis.parse("s=2")], mode: .grid) }
    #expect(throws: SweepError.self) {
      try SweepPlan.make([try GridAxis.parse("s=1..1000000"), try GridAxis.parse("t=1..10")], mode: .grid)
    }
  }

  @Test func randomDrawsAreSeededAndStayInTheirRanges() throws {
    let axes = [
      try GridAxis.parse("lr=1e-4..1e-1:log"), try GridAxis.parse("s=1..6"), try GridAxis.parse("u=0.5..0.75"),
      try GridAxis.parse("opt=adam,sgd"),
    ]
    let a = try SweepPlan.make(axes, mode: .random(count: 400, seed: 7))
    let b = try SweepPlan.make(axes, mode: .random(count: 400, seed: 7))
    let c = try SweepPlan.make(axes, mode: .random(count: 400, seed: 8))
    #expect(a == b)
    #expect(a != c)
    for p in a.points {
      let lr = p[0].numeric!, s = p[1].numeric!, u = p[2].numeric!
      #expect(lr >= 1e-4 && lr <= 1e-1)
      #expect(s == s.rounded() && (1...6).contains(s))
      #expect(u >= 0.5 && u < 0.75)
      #expect(p[3] == .string("adam") || p[3] == .string("sgd"))
    }
    // Every whole number of the range is drawn, and the log draws spread over the decades.
    #expect(Set(a.points.map { $0[1].numeric! }) == [1, 2, 3, 4, 5, 6])
    #expect(a.points.contains { $0[0].numeric! < 1e-3 } && a.points.contains { $0[0].numeric! > 1e-2 })
  }
}

@Suite struct BoundValueTests {
  @Test func commandLineValuesReadAsTheLanguageWritesThem() throws {
    #expect(try BoundValue.parse("0.01") == .number(0.01))
    #expect(try BoundValue.parse("-3") == .number(-3))
    #expect(try BoundValue.parse("adam") == .string("adam"))
    #expect(try BoundValue.parse("\"a \\\"b\\\"\"") == .string("a \"b\""))
    #expect(try BoundValue.parse("[1, [2, \"x\"], none]") == .list([.number(1), .list([.number(2), .string("x")]), .none]))
    #expect(try BoundValue.parse("false") == .bool(false))
    #expect(try BoundValue.parse("nan").numeric!.isNaN)
    #expect(throws: BoundValueError.self) { try BoundValue.parse("[1, 2") }
    #expect(throws: BoundValueError.self) { try BoundValue.parse("\"open") }
  }

  /// Numbers survive the JSON of the run folders and the text of the table bit for bit.
  @Test func numbersRoundTripExactly() throws {
    var g = SplitMix64(seed: 3)
    var values: [BoundValue] = [
      .number(.nan), .number(.infinity), .number(-.infinity), .number(-0.0), .number(1e300), .number(5e-324),
    ]
    for _ in 0..<2000 { values.append(.number(Double(bitPattern: g.next() & 0x7FEF_FFFF_FFFF_FFFF))) }
    for _ in 0..<2000 { values.append(.number(Double(Float(bitPattern: UInt32(truncatingIfNeeded: g.next()) & 0x7F7F_FFFF)))) }
    let decoded = try JSONFile.decode([BoundValue].self, from: try JSONFile.encode(values), path: "test")
    for (a, b) in zip(values, decoded) {
      #expect(a.numeric!.bitPattern == b.numeric!.bitPattern || a.numeric!.isNaN && b.numeric!.isNaN)
      let text = a.text
      let back = try BoundValue.parse(text).numeric!
      #expect(back.bitPattern == a.numeric!.bitPattern || back.isNaN && a.numeric!.isNaN, "\(text)")
    }
  }
}

@Suite struct SlurmPiecesTests {
  @Test func arraysStayBelowMaxArraySize() {
    let packs = Array(0..<2500)
    let chunks = SlurmEngine.arrays(packs, maxArraySize: 1001)
    #expect(chunks.map(\.offset) == [0, 1001, 2002])
    #expect(chunks.allSatisfy { $0.tasks.allSatisfy { $0 < 1001 } })
    #expect(chunks.flatMap { c in c.tasks.map { $0 + c.offset } } == packs)
    let sparse = SlurmEngine.arrays([3, 4, 5, 9, 2000], maxArraySize: 1001)
    #expect(sparse.map(\.offset) == [3, 2000])
    #expect(SlurmEngine.arraySpec(sparse[0].tasks) == "0-2,6")
    #expect(SlurmEngine.arraySpec([0, 1, 2, 3, 4, 5, 6, 7]) == "0-7")
  }

  @Test func maxArraySizeIsReadFromScontrol() {
    let config = "Configuration data as of 2026-01-01T00:00:00\nMaxArraySize            = 1001\nMaxJobCount = 10000\n"
    #expect(SlurmEngine.parseMaxArraySize(config) == 1001)
    #expect(SlurmEngine.parseMaxArraySize("nothing") == nil)
  }

  @Test func theJobScriptRunsOneIndexOrAPack() throws {
    let dir = SweepDirectory("/tmp/a sweep")
    let one = SlurmEngine.jobScript(tool: "/opt/psychrnn", dir: dir, runsPerTask: 1)
    #expect(one.contains("exec '/opt/psychrnn' sweep run '/tmp/a sweep' --index \"$(( ${1:-0} + SLURM_ARRAY_TASK_ID ))\""))
    let packed = SlurmEngine.jobScript(tool: "/opt/psychrnn", dir: dir, runsPerTask: 4)
    #expect(packed.contains("--pack \"$(( ${1:-0} + SLURM_ARRAY_TASK_ID ))\" --runs-per-task 4"))
    #expect(try RunSelection.pack(2, runsPerTask: 4).indices(count: 10) == [8, 9])
  }
}

@Suite struct CommandLineTests {
  @Test func engineNamesAndOptionsGetSuggestions() {
    #expect(throws: SweepError.unknownEngine("slrum", suggestion: "slurm")) {
      try SweepCommand.parse(["s.rnn", "--grid", "s=1", "--out", "d", "--engine", "slrum"], tool: "/t")
    }
    #expect(throws: SweepError.unknownOption("--gird", suggestion: "--grid")) {
      try SweepCommand.parse(["s.rnn", "--gird", "s=1", "--out", "d"], tool: "/t")
    }
    #expect(throws: SweepError.self) { try SweepCommand.parse(["s.rnn", "--grid", "s=1"], tool: "/t") }
    #expect(throws: SweepError.self) {
      try SweepCommand.parse(["s.rnn", "--grid", "s=1", "--out", "d", "--jobs", "0"], tool: "/t")
    }
    #expect(throws: SweepError.self) { try SweepCommand.parse(["run", "d"], tool: "/t") }
  }

  @Test func aFullCommandIsTyped() throws {
    let c = try SweepCommand.parse(
      [
        "s.rnn", "--grid", "s=1..4", "--grid", "lr=0.001,0.01", "--out", "d", "--engine", "slurm", "--runs-per-task", "2",
        "--max-concurrent", "3", "--sbatch", "--time=0:05:00", "--wait",
      ], tool: "/t")
    guard case .plan(let script, let axes, let mode, let out, let settings, let planOnly) = c else {
      Issue.record("not a plan: \(c)")
      return
    }
    #expect(script == "s.rnn" && out == "d" && mode == .grid && !planOnly)
    #expect(axes.map(\.name) == ["s", "lr"])
    #expect(settings.engine == "slurm" && settings.runsPerTask == 2 && settings.maxConcurrent == 3 && settings.wait)
    #expect(settings.sbatchArguments == ["--time=0:05:00"])
  }
}

/// Arbitrary argument vectors and value texts never crash the readers: each either parses or is
/// refused with a SweepError (or a BoundValueError) that names an argument.
@Suite struct HostileArgumentTests {
  @Test func randomArgumentVectorsParseOrAreRefused() {
    let words = [
      "run", "status", "collect", "resubmit", "s.rnn", "--grid", "s=1..3", "s=", "=", "x=[1,\"a\"", "--out", "d", "--random",
      "0", "-1", "5", "--seed", "--engine", "slurm", "local", "lcoal", "--jobs", "--runs-per-task", "--max-concurrent",
      "--sbatch", "--wait", "--index", "--pack", "99999999999999999999", "lr=1e-4..1e-1:log", "s=1..2:0", "s=1..1e300",
      "s=-1e308..1e308", "s=0..1e300:1e-300", "s=1e15..1e16", "\"", "[", "]", "",
    ]
    var g = SplitMix64(seed: 11)
    for _ in 0..<5000 {
      let n = Int(g.next() % 7)
      let argv = (0..<n).map { _ in words[Int(g.next() % UInt64(words.count))] }
      do {
        let command = try SweepCommand.parse(argv, tool: "/t")
        if case .plan(_, let axes, let mode, _, _, _) = command { _ = try? SweepPlan.make(axes, mode: mode) }
      } catch {
        #expect(!error.description.isEmpty)
      }
    }
  }

  @Test func randomTextsReadAsValuesOrAreRefused() {
    let pieces = [
      "[", "]", ",", "\"", "\\", "1", "-", ".", "e", "..", ":", "log", "nan", " ", "a", "=", "é", "\u{0}", "1e308", "9",
    ]
    var g = SplitMix64(seed: 5)
    for _ in 0..<5000 {
      let text = (0..<Int(g.next() % 10)).map { _ in pieces[Int(g.next() % UInt64(pieces.count))] }.joined()
      _ = try? BoundValue.parse(text)
      if let axis = try? GridAxis.parse("v=" + text) { _ = try? axis.gridValues() }
    }
  }
}
