// Golden-text tests: each sample chart, rendered at width 80 without colour, must equal its text in
// Golden/ exactly (Tests/TestSupport/Golden.swift: PSYCHRNN_RECORD_GOLDEN=1 re-records). With
// TERMPLOT_PREVIEW=DIR the samples are also written to DIR in every colour mode, to look at in a
// terminal: `cat DIR/*-256.txt` (a tool, enabled only when asked).

import Foundation
import TestSupport
import Testing

@testable import TermPlot

private let golden = Golden.folder(beside: #filePath)

@Test(arguments: Samples.all().map(\.0))
func snapshotMatches(name: String) throws {
  let rendered = Samples.all().first { $0.0 == name }!.1
  try Golden.check(name, rendered, folder: golden)
}

@Test func everySampleHasAGoldenFileAndNoGoldenFileIsStale() throws {
  let files = try FileManager.default.contentsOfDirectory(atPath: golden.path).filter { $0.hasSuffix(".txt") }
  #expect(Set(files.map { String($0.dropLast(4)) }) == Set(Samples.all().map(\.0)))
}

@Test func snapshotsCatchSmallChanges() throws {
  // One column narrower is a different picture: the comparison must see it.
  let pinned = try String(contentsOf: golden.appendingPathComponent("line-sine-cosine.txt"), encoding: .utf8)
  #expect(Samples.sineAndCosine(width: 79) != pinned)
  #expect(Samples.sineAndCosine(width: 80) == pinned || Golden.isRecording)
}

@Test(.enabled(if: ProcessInfo.processInfo.environment["TERMPLOT_PREVIEW"] != nil))
func writesPreviewWhenAsked() throws {
  let folder = ProcessInfo.processInfo.environment["TERMPLOT_PREVIEW"]!
  let modes: [(String, ColorMode)] = [("plain", .none), ("256", .ansi256), ("24bit", .trueColor)]
  for (suffix, mode) in modes {
    for (name, text) in Samples.all(colorMode: mode) {
      let file = URL(fileURLWithPath: folder).appendingPathComponent("\(name)-\(suffix).txt")
      try (text + "\n").write(to: file, atomically: true, encoding: .utf8)
    }
  }
}
