// `psychrnn-bench --interpreter`: the `.rnn` interpreter's own speed, so it is never the bottleneck.
// Each row runs a script in a fresh session `--repeats` times and prints the median and the slowest
// whole run (parse included):
//
//   loop      s = 0; for i in range(1_000_000) { s = s + i }        (target ≤ 1 s)
//   calls     fib(20) by naive recursion (21,891 calls)
//   arrays    10 × (a * 2 + 1) and sum on a 1000 × 1000 array       (vectorized: one pass per op)

import Foundation
import RNNScript

func reportInterpreter(repeats: Int, json: Bool) throws {
  let rows: [(String, String)] = [
    ("loop", "s = 0\nfor i in range(1_000_000) { s = s + i }"),
    ("calls", "def fib(n) {\n  if n < 2 { return n }\n  return fib(n - 1) + fib(n - 2)\n}\nx = fib(20)"),
    ("arrays", "a = reshape(arange(1_000_000) / 1000, [1000, 1000])\nfor k in range(10) { b = a * 2 + 1 }\ns = sum(b)"),
  ]
  for (name, script) in rows {
    var times: [Double] = []
    for _ in 0..<repeats {
      let clock = ContinuousClock(), start = clock.now
      let session = Session()
      let (statements, diagnostics) = Parser(source: script, commands: Commands.verbs).parse()
      guard diagnostics.isEmpty else { throw BenchError.usage("benchmark script \(name) does not parse: \(diagnostics)") }
      for s in statements { _ = try session.execute(s) }
      times.append(seconds(clock.now - start) * 1000)
    }
    let m = median(times), worst = times.max() ?? 0
    if json {
      emit(
        "{\"interpreter\": \"\(name)\", \"median_ms\": \(String(format: "%.1f", m)), \"max_ms\": \(String(format: "%.1f", worst)), \"repeats\": \(repeats)}"
      )
    } else {
      emit(
        "interpreter \(name.padding(toLength: 7, withPad: " ", startingAt: 0))  \(String(format: "%8.1f", m)) ms (median of \(repeats); slowest \(String(format: "%.1f", worst)) ms)"
      )
    }
  }
}
