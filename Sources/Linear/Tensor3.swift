// A dense three-axis array in row-major order, used for batches laid out as PsychRNN lays them out:
// inputs (B, S, N_in), targets and masks (B, S, N_out), outputs (B, S, N_out), states (B, S, N_rec),
// and the simulator's per-step connectivity (S, N, N). B = trials, S = time steps.

/// A dense row-major 3-D array; entry (i, j, k) lives at storage[(i * d1 + j) * d2 + k].
public struct Tensor3<Scalar: LinearScalar>: Equatable, Sendable {
  /// Axis lengths.
  public let d0: Int, d1: Int, d2: Int
  /// The entries in row-major order.
  public var storage: [Scalar]

  @inlinable
  public init(_ d0: Int, _ d1: Int, _ d2: Int, repeating value: Scalar = 0) {
    precondition(d0 >= 0 && d1 >= 0 && d2 >= 0, "dimensions must be non-negative")
    self.d0 = d0; self.d1 = d1; self.d2 = d2
    storage = [Scalar](repeating: value, count: d0 * d1 * d2)
  }

  @inlinable
  public init(_ d0: Int, _ d1: Int, _ d2: Int, storage: [Scalar]) {
    precondition(
      d0 >= 0 && d1 >= 0 && d2 >= 0 && storage.count == d0 * d1 * d2,
      "storage has \(storage.count) entries, expected \(d0)×\(d1)×\(d2)")
    self.d0 = d0; self.d1 = d1; self.d2 = d2
    self.storage = storage
  }

  /// (d0, d1, d2).
  public var shape: [Int] { [d0, d1, d2] }

  @inlinable public subscript(i: Int, j: Int, k: Int) -> Scalar {
    get { storage[(i * d1 + j) * d2 + k] }
    set { storage[(i * d1 + j) * d2 + k] = newValue }
  }

  /// Slice i along the first axis, as a d1×d2 matrix (for a batch: trial i, steps × channels).
  public func slice(_ i: Int) -> Matrix<Scalar> {
    let n = d1 * d2
    return Matrix(rows: d1, cols: d2, storage: Array(storage[(i * n)..<((i + 1) * n)]))
  }

  /// The trials `indices` along the first axis, as a new tensor.
  public func selecting(_ indices: [Int]) -> Tensor3 {
    let n = d1 * d2
    var s = [Scalar]()
    s.reserveCapacity(indices.count * n)
    for i in indices { s.append(contentsOf: storage[(i * n)..<((i + 1) * n)]) }
    return Tensor3(indices.count, d1, d2, storage: s)
  }

  /// Writes the values with the first two axes swapped, (B, S, N) → (S, B, N), converted to T,
  /// into `destination` (d0·d1·d2 values). One pass; the model's inputs enter time-major this way.
  @inlinable
  public func writeSwappingFirstAxes<T: LinearScalar>(into destination: UnsafeMutablePointer<T>) {
    storage.withUnsafeBufferPointer { src in
      for i in 0..<d0 {
        for j in 0..<d1 {
          let from = (i * d1 + j) * d2, to = (j * d0 + i) * d2
          for k in 0..<d2 { destination[to + k] = T(src[from + k].doubleValue) }
        }
      }
    }
  }

  /// Swaps the first two axes: (B, S, N) ↔ (S, B, N). The model runs time-major internally.
  @inlinable
  public func swappingFirstAxes() -> Tensor3 {
    var out = Tensor3(d1, d0, d2)
    storage.withUnsafeBufferPointer { src in
      out.storage.withUnsafeMutableBufferPointer { dst in
        for i in 0..<d0 {
          for j in 0..<d1 {
            let from = (i * d1 + j) * d2, to = (j * d0 + i) * d2
            for k in 0..<d2 { dst[to + k] = src[from + k] }
          }
        }
      }
    }
    return out
  }

  /// The same values in another scalar type.
  @inlinable
  public func converted<T: LinearScalar>(to: T.Type = T.self) -> Tensor3<T> {
    Tensor3<T>(d0, d1, d2, storage: storage.map { T($0.doubleValue) })
  }

  /// Largest absolute entrywise difference to another tensor of the same shape.
  public func maxAbsDifference(_ other: Tensor3) -> Scalar {
    precondition(shape == other.shape, "shape mismatch")
    var m: Scalar = 0
    for i in storage.indices { m = Swift.max(m, abs(storage[i] - other.storage[i])) }
    return m
  }

  /// Whether every entry is finite.
  @inlinable public var isFinite: Bool { storage.allSatisfy { $0.isFinite } }
}
