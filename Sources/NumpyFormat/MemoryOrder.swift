// Rearranging raw element bytes: big-endian to little-endian, and Fortran (column-major) to C order.

enum MemoryOrder {
  /// Reverses the bytes of every `itemSize`-byte element (big-endian ⇄ little-endian).
  static func swapByteOrder(_ bytes: inout [UInt8], itemSize: Int) {
    guard itemSize > 1 else { return }
    var start = 0
    while start + itemSize <= bytes.count {
      bytes[start..<start + itemSize].reverse()
      start += itemSize
    }
  }

  /// Reorders elements stored in Fortran order (first index fastest) into C order (last index fastest).
  /// `bytes` must hold exactly the elements of `shape`.
  static func fortranToC(_ bytes: [UInt8], shape: [Int], itemSize: Int) -> [UInt8] {
    guard shape.count > 1, !bytes.isEmpty else { return bytes }
    // In Fortran order the element at index (i0, i1, ...) sits at i0*1 + i1*d0 + i2*d0*d1 + ...
    var fortranStrides = [Int](repeating: 1, count: shape.count)
    for k in 1..<shape.count { fortranStrides[k] = fortranStrides[k - 1] * shape[k - 1] }

    var result: [UInt8] = []
    result.reserveCapacity(bytes.count)
    var index = [Int](repeating: 0, count: shape.count)
    for _ in 0..<bytes.count / itemSize {
      var element = 0
      for k in 0..<shape.count { element += index[k] * fortranStrides[k] }
      result.append(contentsOf: bytes[element * itemSize..<(element + 1) * itemSize])
      advanceCOrderIndex(&index, shape: shape)
    }
    return result
  }

  /// Steps a multi-index to the next element in C order (the last dimension changes fastest).
  private static func advanceCOrderIndex(_ index: inout [Int], shape: [Int]) {
    var k = shape.count - 1
    while k >= 0 {
      index[k] += 1
      if index[k] < shape[k] { return }
      index[k] = 0
      k -= 1
    }
  }
}
