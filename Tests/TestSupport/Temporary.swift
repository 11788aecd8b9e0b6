// A fresh, empty directory under the system's temporary directory, for a test to write into; the
// test removes it (`defer { try? FileManager.default.removeItem(atPath: dir) }`).

import Foundation

public func makeTemporaryDirectory(_ prefix: String) throws -> String {
  let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
  try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
  return dir
}
