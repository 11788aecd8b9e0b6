// psychrnn-bench --gemm: how fast OpenBLAS runs the three per-step products of a Basic training
// batch (B = 128 trials) at a given N_rec, on one thread — the floor under ms per batch, since a
// batch makes 200 of each.

import Linear

/// Median seconds of one call of `body`, over `repeats` timed rounds of `calls` calls.
func timePerCall(calls: Int, repeats: Int = 7, _ body: () -> Void) -> Double {
  let clock = ContinuousClock()
  var times: [Double] = []
  for _ in 0..<repeats {
    let start = clock.now
    for _ in 0..<calls { body() }
    times.append(seconds(clock.now - start) / Double(calls))
  }
  return median(times)
}

/// Prints GFLOPS and ms per batch for forward (r·Wᵀ), h_k (α·g·W) and weight-gradient (gᵀ·r)
/// products of B × N by N × N, accumulating as training does.
func reportGemmFloor(nRec n: Int, batch b: Int = 128, steps: Int = 200) {
  let a = [Float](repeating: 0.01, count: b * n), w = [Float](repeating: 0.02, count: n * n)
  var c = [Float](repeating: 0, count: max(b * n, n * n))
  let shapes: [(name: String, transA: Bool, m: Int, k: Int)] = [
    ("forward  r·Wᵀ   (B×N · N×N)", false, b, n),
    ("backward g·W    (B×N · N×N)", false, b, n),
    ("gradient gᵀ·r   (N×B · B×N)", true, n, b),
  ]
  var total = 0.0
  for shape in shapes {
    let perCall = timePerCall(calls: max(20, 2_000_000_000 / (2 * shape.m * n * shape.k) / 10)) {
      a.withUnsafeBufferPointer { ap in
        w.withUnsafeBufferPointer { wp in
          c.withUnsafeMutableBufferPointer { cp in
            // The gradient product is aᵀ·a (N×B · B×N); the others a·w.
            Float.gemm(
              transA: shape.transA, transB: false, m: shape.m, n: n, k: shape.k, alpha: 1,
              a: ap.baseAddress!, lda: n, b: shape.transA ? ap.baseAddress! : wp.baseAddress!, ldb: n,
              beta: 1, c: cp.baseAddress!, ldc: n)
          }
        }
      }
    }
    let gflops = 2.0 * Double(shape.m * n * shape.k) / perCall / 1e9
    total += perCall * Double(steps)
    emit(
      "N_rec \(n)  \(shape.name)  \(String(format: "%8.4f", perCall * 1000)) ms/call  \(String(format: "%6.1f", gflops)) GFLOPS  × \(steps) steps = \(String(format: "%6.2f", perCall * Double(steps) * 1000)) ms"
    )
  }
  emit(
    "N_rec \(n)  the three products alone: \(String(format: "%.1f", total * 1000)) ms per batch of \(b) trials × \(steps) steps")
}
