// The one golden-text convention of the test suites: the expected text of a rendering lives in
// `Tests/<Suite>/Golden/NAME.txt` and must equal the rendering exactly (the whole string). To accept a
// deliberate change, run the suite with PSYCHRNN_RECORD_GOLDEN=1: each golden file is rewritten and
// the test fails once, so a recording never passes silently; review the diff before committing.

import Foundation
import Testing

public enum Golden {
  /// Whether this run records golden files instead of comparing with them.
  public static var isRecording: Bool { ProcessInfo.processInfo.environment["PSYCHRNN_RECORD_GOLDEN"] == "1" }

  /// Compares `text` with `folder/NAME.txt` (or records it).
  public static func check(
    _ name: String, _ text: String, folder: URL,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let file = folder.appendingPathComponent("\(name).txt")
    if isRecording {
      try text.write(to: file, atomically: true, encoding: .utf8)
      Issue.record("recorded \(file.path); run again without PSYCHRNN_RECORD_GOLDEN", sourceLocation: sourceLocation)
      return
    }
    let expected = try String(contentsOf: file, encoding: .utf8)
    #expect(text == expected, "\(name) differs from \(file.lastPathComponent):\n\(text)", sourceLocation: sourceLocation)
  }

  /// The `Golden` folder beside the test file `filePath` (pass `#filePath`).
  public static func folder(beside filePath: String) -> URL {
    URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Golden")
  }
}
