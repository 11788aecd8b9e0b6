// CRC-32 as used by ZIP (and gzip, PNG): the reflected polynomial 0xEDB88320, initial value and final
// XOR 0xFFFFFFFF. Table-driven, one byte per step.

/// The ZIP checksum.
enum CRC32 {
  /// `table[n]` is the CRC remainder of the byte `n` alone.
  private static let table: [UInt32] = (0..<256).map { n in
    var remainder = UInt32(n)
    for _ in 0..<8 {
      remainder = remainder & 1 == 1 ? (remainder >> 1) ^ 0xEDB8_8320 : remainder >> 1
    }
    return remainder
  }

  /// The CRC-32 of `bytes`. `checksum(Array("123456789".utf8)) == 0xCBF43926`.
  static func checksum<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt32 {
    table.withUnsafeBufferPointer { table in
      var crc: UInt32 = 0xFFFF_FFFF
      for byte in bytes {
        crc = table[Int(UInt8(truncatingIfNeeded: crc) ^ byte)] ^ (crc >> 8)
      }
      return crc ^ 0xFFFF_FFFF
    }
  }
}
