// A lesion sweep equals doing it by hand: `ablate unit U` and the masked-choice accuracy written
// with the array functions, on the same batch (seed replays the trial stream).

import Testing

@testable import RNNScript

@Test func lesionSweepEqualsAblatingByHand() throws {
  let s = Session()
  try runScript(
    """
    seed 4
    task = PerceptualDiscrimination(dt: 10, tau: 100, T: 500, N_batch: 64)
    net = Basic(task, N_rec: 10, dale_ratio: 0.8)
    train net task training_iters: 3200 verbosity: false
    seed 9
    ls = lesion_sweep net task
    seed 9
    b = batch task
    def acc(r) {
      return mean(argmax(mean(r.outputs * b.mask, axis: 1), axis: 1) == argmax(mean(b.y * b.mask, axis: 1), axis: 1))
    }
    by_hand = []
    for u in range(10) {
      ablate unit u
      by_hand = append(by_hand, acc(test(net, b)))
      restore
    }
    for u in range(8) { ablate unit u }
    e = acc(test(net, b))
    restore
    intact = acc(test(net, b))
    d1 = max(abs(ls.accuracy - by_hand))
    d2 = abs(ls.excitatory - e) + abs(ls.intact - intact)
    """, in: s)
  func number(_ n: String) -> Double? { if case .number(let d)? = s.variables[n] { d } else { nil } }
  #expect(number("d1") == 0 && number("d2") == 0)
  guard case .record(let ls)? = s.variables["ls"], case .array(let order)? = ls["order"], case .array(let acc)? = ls["accuracy"]
  else {
    Issue.record("no sweep"); return
  }
  let sorted = order.values.map { acc.values[Int($0)] }
  #expect(sorted == sorted.sorted() && Set(order.values) == Set((0..<10).map(Double.init)))
  let shown = try runScript("plot ls", in: s)
  guard case .plot(.stack(let parts)) = shown.first, case .lines(_, _, let y, _, _, let range)? = parts.first else {
    Issue.record("no plot"); return
  }
  #expect(y == "accuracy" && range == 0...1)
}
