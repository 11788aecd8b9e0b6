// Reading whole files, and writing them atomically (a temporary file in the same directory, renamed over
// the target, so readers never see a half-written file).

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

enum FileIO {
  /// The bytes of the file at `path`.
  static func read(_ path: String) throws -> [UInt8] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw NumpyFormatError.fileNotFound(path: path)
    }
    guard !isDirectory.boolValue else {
      throw NumpyFormatError.unreadableFile(path: path, reason: "is a directory")
    }
    do {
      return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    } catch {
      throw NumpyFormatError.unreadableFile(path: path, reason: error.localizedDescription)
    }
  }

  /// Writes `bytes` to a temporary file beside `path`, then renames it over `path`.
  static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
    let target = URL(fileURLWithPath: path)
    let temporary = target.deletingLastPathComponent()
      .appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).tmp")
    do {
      try Data(bytes).write(to: temporary)
    } catch {
      try? FileManager.default.removeItem(at: temporary)
      throw NumpyFormatError.unwritableFile(path: path, reason: error.localizedDescription)
    }
    guard rename(temporary.path, target.path) == 0 else {
      let reason = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: temporary)
      throw NumpyFormatError.unwritableFile(path: path, reason: "cannot rename the temporary file: \(reason)")
    }
  }
}
