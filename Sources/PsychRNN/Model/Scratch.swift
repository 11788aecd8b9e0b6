// Raw buffers for the training workspaces (Workspace.swift, LSTMWorkspace.swift): plain pointers,
// so that the passes read as their formulas (`rates.pointer + k * block` is block k) and the time
// loops allocate and check nothing.

import Linear

/// A block of scratch memory owned by a workspace. Its values start undefined: every pass writes a
/// buffer before reading it (BLAS ignores C when beta is 0). Freed by the workspace.
struct Scratch<Scalar: LinearScalar> {
  private(set) var pointer = UnsafeMutablePointer<Scalar>.allocate(capacity: 1)
  /// The values in use.
  private(set) var count = 0
  private var capacity = 1

  /// Makes `n` values available; reallocates only to grow.
  mutating func fit(_ n: Int) {
    if n > capacity {
      pointer.deallocate()
      pointer = .allocate(capacity: n)
      capacity = n
    }
    count = n
  }

  /// The values as an array.
  var array: [Scalar] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

  func free() { pointer.deallocate() }
}
