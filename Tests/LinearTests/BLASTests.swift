import Testing
@testable import Linear

/// Random shapes, sizes 0 and 1 included, for kernel-vs-twin comparisons.
private let sizes = [0, 1, 2, 3, 7, 16, 33]

@Test(arguments: [false, true], [false, true])
func sgemmMatchesNaiveTwin(transA: Bool, transB: Bool) {
  var rng = NumpyRandom(seed: 11)
  for m in sizes {
    for n in sizes {
      for k in [0, 1, 5, 17] {
        let a = (0..<(m * k)).map { _ in Float(rng.normal()) }
        let b = (0..<(k * n)).map { _ in Float(rng.normal()) }
        let c0 = (0..<(m * n)).map { _ in Float(rng.normal()) }
        let lda = transA ? m : k, ldb = transB ? k : n
        var fast = c0, slow = c0
        a.withUnsafeBufferPointer { pa in
          b.withUnsafeBufferPointer { pb in
            fast.withUnsafeMutableBufferPointer { pc in
              Float.gemm(
                transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.7,
                a: pa.baseAddress ?? UnsafePointer(bitPattern: 8)!, lda: lda,
                b: pb.baseAddress ?? UnsafePointer(bitPattern: 8)!, ldb: ldb,
                beta: 0.3, c: pc.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!, ldc: n)
            }
            slow.withUnsafeMutableBufferPointer { pc in
              Reference.gemm(
                transA: transA, transB: transB, m: m, n: n, k: k, alpha: Float(0.7),
                a: pa.baseAddress ?? UnsafePointer(bitPattern: 8)!, lda: lda,
                b: pb.baseAddress ?? UnsafePointer(bitPattern: 8)!, ldb: ldb,
                beta: 0.3, c: pc.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!, ldc: n)
            }
          }
        }
        for i in fast.indices {
          #expect(abs(fast[i] - slow[i]) <= 1e-4 * (1 + abs(slow[i])), "m=\(m) n=\(n) k=\(k) at \(i)")
        }
      }
    }
  }
}

@Test func dgemmAxpyDotMatchNaiveTwins() {
  var rng = NumpyRandom(seed: 5)
  for m in sizes {
    for n in sizes {
      let k = (m + n) % 6
      let a = Matrix<Double>(rows: m, cols: k) { _, _ in rng.normal() }
      let b = Matrix<Double>(rows: k, cols: n) { _, _ in rng.normal() }
      let fast = a.matmul(b)
      var slow = Matrix<Double>(rows: m, cols: n)
      a.storage.withUnsafeBufferPointer { pa in
        b.storage.withUnsafeBufferPointer { pb in
          slow.storage.withUnsafeMutableBufferPointer { pc in
            Reference.gemm(
              transA: false, transB: false, m: m, n: n, k: k, alpha: 1.0,
              a: pa.baseAddress ?? UnsafePointer(bitPattern: 8)!, lda: k,
              b: pb.baseAddress ?? UnsafePointer(bitPattern: 8)!, ldb: n,
              beta: 0, c: pc.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!, ldc: n)
          }
        }
      }
      #expect(fast.maxAbsDifference(slow) < 1e-12)
    }
  }
  for count in sizes {
    let x = (0..<count).map { _ in rng.normal() }, y0 = (0..<count).map { _ in rng.normal() }
    var yFast = y0, ySlow = y0
    let one = [0.0]
    x.withUnsafeBufferPointer { px in
      let p = px.baseAddress ?? one.withUnsafeBufferPointer { $0.baseAddress! }
      yFast.withUnsafeMutableBufferPointer {
        Double.axpy(count: count, alpha: -1.5, x: p, y: $0.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!)
      }
      ySlow.withUnsafeMutableBufferPointer {
        Reference.axpy(count: count, alpha: -1.5, x: p, y: $0.baseAddress ?? UnsafeMutablePointer(bitPattern: 8)!)
      }
    }
    for i in 0..<count { #expect(abs(yFast[i] - ySlow[i]) < 1e-12) }
    let d1 = x.withUnsafeBufferPointer { px in
      y0.withUnsafeBufferPointer { py in
        Double.dot(
          count: count, x: px.baseAddress ?? UnsafePointer(bitPattern: 8)!, y: py.baseAddress ?? UnsafePointer(bitPattern: 8)!)
      }
    }
    let d2 = x.withUnsafeBufferPointer { px in
      y0.withUnsafeBufferPointer { py in
        Reference.dot(
          count: count, x: px.baseAddress ?? UnsafePointer(bitPattern: 8)!, y: py.baseAddress ?? UnsafePointer(bitPattern: 8)!)
      }
    }
    #expect(abs(d1 - d2) < 1e-12)
  }
}

@Test func spectralRadiusOfKnownSpectra() throws {
  // A rotation scaled by 2 has eigenvalues ±2i: radius 2.
  let rot = Matrix<Double>([[0, -2], [2, 0]])
  #expect(abs(try spectralRadius(of: rot) - 2) < 1e-12)
  // Upper triangular: eigenvalues are the diagonal.
  let tri = Matrix<Double>([[1, 5, 7], [0, -3.5, 2], [0, 0, 0.5]])
  #expect(abs(try spectralRadius(of: tri) - 3.5) < 1e-12)
  #expect(try spectralRadius(of: Matrix<Double>(rows: 0, cols: 0)) == 0)
  #expect(throws: LAPACKError.nonFinite) { try spectralRadius(of: Matrix<Double>([[Double.nan]])) }
}

@Test func blasUsesOneThreadByDefault() {
  #expect(BLAS.threadCount == 1)
}

@Test(arguments: [false, true])
func gemvMatchesNaiveTwin(transposed: Bool) {
  var rng = NumpyRandom(seed: 21)
  for m in sizes {
    for n in sizes {
      let a = (0..<(m * n)).map { _ in Float(rng.normal()) }
      let xCount = transposed ? m : n, yCount = transposed ? n : m
      let x = (0..<xCount).map { _ in Float(rng.normal()) }, y0 = (0..<yCount).map { _ in Float(rng.normal()) }
      var fast = y0, slow = y0
      let dummy = UnsafeMutablePointer<Float>.allocate(capacity: 1)
      defer { dummy.deallocate() }
      a.withUnsafeBufferPointer { pa in
        x.withUnsafeBufferPointer { px in
          fast.withUnsafeMutableBufferPointer { py in
            Float.gemv(
              transA: transposed, m: m, n: n, alpha: 0.5, a: pa.baseAddress ?? UnsafePointer(dummy), lda: n,
              x: px.baseAddress ?? UnsafePointer(dummy), beta: 2, y: py.baseAddress ?? dummy)
          }
          slow.withUnsafeMutableBufferPointer { py in
            Reference.gemv(
              transA: transposed, m: m, n: n, alpha: Float(0.5), a: pa.baseAddress ?? UnsafePointer(dummy), lda: n,
              x: px.baseAddress ?? UnsafePointer(dummy), beta: 2, y: py.baseAddress ?? dummy)
          }
        }
      }
      for i in fast.indices { #expect(abs(fast[i] - slow[i]) <= 1e-4 * (1 + abs(slow[i])), "m=\(m) n=\(n) at \(i)") }
    }
  }
}

@Test func solveLinearSystemSolvesAndRefusesSingularMatrices() throws {
  var rng = NumpyRandom(seed: 21)
  let n = 9
  let a = Matrix<Double>(rows: n, cols: n) { i, j in rng.normal() + (i == j ? 3 : 0) }
  let b = (0..<n).map { _ in rng.normal() }
  let x = try solveLinearSystem(a, b)
  // A·x = b, by the naive product.
  for i in 0..<n {
    let ax = (0..<n).reduce(0.0) { $0 + a[i, $1] * x[$1] }
    #expect(abs(ax - b[i]) < 1e-12)
  }
  let singular = Matrix<Double>([[1, 2], [2, 4]])
  #expect(throws: LAPACKError.self) { try solveLinearSystem(singular, [1, 1]) }
  #expect(throws: LAPACKError.nonFinite) { try solveLinearSystem(Matrix([[Double.nan]]), [1]) }
}

@Test func eigendecompositionGivesRightEigenvectors() throws {
  var rng = NumpyRandom(seed: 22)
  let n = 7
  let a = Matrix<Double>(rows: n, cols: n) { _, _ in rng.normal() }
  let e = try eigendecomposition(of: a)
  let plain = try eigenvalues(of: a)
  // The same eigenvalues as `eigenvalues(of:)` (which decomposes Aᵀ), to rounding.
  let ours = zip(e.real, e.imaginary).sorted { ($0.0, $0.1) < ($1.0, $1.1) }
  let theirs = zip(plain.real, plain.imaginary).sorted { ($0.0, $0.1) < ($1.0, $1.1) }
  for (p, q) in zip(ours, theirs) { #expect(abs(p.0 - q.0) < 1e-12 && abs(p.1 - q.1) < 1e-12) }
  // A·v = λ·v for each pair, complex ones included: (A·(vr + i·vi)) = (λr + i·λi)(vr + i·vi).
  for k in 0..<n {
    let vr = e.vectorsReal.row(k), vi = e.vectorsImaginary.row(k)
    for i in 0..<n {
      let avr = (0..<n).reduce(0.0) { $0 + a[i, $1] * vr[$1] }, avi = (0..<n).reduce(0.0) { $0 + a[i, $1] * vi[$1] }
      #expect(abs(avr - (e.real[k] * vr[i] - e.imaginary[k] * vi[i])) < 1e-12)
      #expect(abs(avi - (e.real[k] * vi[i] + e.imaginary[k] * vr[i])) < 1e-12)
    }
  }
}
