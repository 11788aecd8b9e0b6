// The architecture as docs/architecture.md states it, checked: the language and the shell name no
// model type outside the model registry, and the doc's file:function hops name real files and
// functions (so the map stays true as the code moves).

import Foundation
import Testing

@testable import RNNScript

private let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent()

private func swiftFiles(under folder: String) -> [String] {
  let root = repository.appendingPathComponent(folder).path
  guard let e = FileManager.default.enumerator(atPath: root) else { return [] }
  return e.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.map { root + "/" + $0 }
}

@Test func onlyTheRegistryNamesModelTypes() throws {
  let modelTypes = ["Basic<", "LSTM<", "BasicSimulator", "LSTMSimulator", "case .basic(", "case .lstm("]
  let files = swiftFiles(under: "Sources/RNNScript") + swiftFiles(under: "Sources/RNNShell")
  #expect(files.count > 20)
  var offenders: [String] = []
  for file in files where !file.hasSuffix("/ModelRegistry.swift") {
    let text = try String(contentsOfFile: file, encoding: .utf8)
    for t in modelTypes where text.contains(t) { offenders.append("\(file): \(t)") }
  }
  #expect(offenders.isEmpty, "model types named outside ModelRegistry.swift: \(offenders)")
  let registry = try String(
    contentsOfFile: repository.appendingPathComponent("Sources/RNNScript/Evaluation/ModelRegistry.swift").path, encoding: .utf8)
  #expect(registry.contains("Basic<Float>.self") && registry.contains("LSTM<Float>.self"))
}

@Test func architectureDocNamesRealFilesAndFunctions() throws {
  let doc = try String(contentsOfFile: repository.appendingPathComponent("docs/architecture.md").path, encoding: .utf8)
  let all = swiftFiles(under: "Sources") + swiftFiles(under: "Tests")
  // Every `Dir/File.swift` named exists.
  let pathPattern = try Regex("`([A-Za-z+/]+\\.swift)`")
  var checkedPaths = 0, checkedSymbols = 0
  for match in doc.matches(of: pathPattern) {
    let path = String(match.output[1].substring!)
    guard path.contains("/") else { continue }
    let found = all.filter { $0.hasSuffix("/" + path) }
    #expect(!found.isEmpty, "docs/architecture.md names \(path), which does not exist")
    checkedPaths += 1
  }
  // A hop "`Dir/File.swift` `Type.function(…)`": the function is defined in that file.
  let hopPattern = try Regex("`([A-Za-z+/]+\\.swift)` `([A-Za-z_.]+)\\(")
  for match in doc.matches(of: hopPattern) {
    let path = String(match.output[1].substring!)
    let symbol = String(match.output[2].substring!).split(separator: ".").last.map(String.init) ?? ""
    guard let file = all.first(where: { $0.hasSuffix("/" + path) }) else { continue }
    let text = try String(contentsOfFile: file, encoding: .utf8)
    #expect(
      text.contains("func \(symbol)(") || text.contains("func \(symbol)<"),
      "docs/architecture.md: \(path) has no function \(symbol)")
    checkedSymbols += 1
  }
  #expect(checkedPaths >= 20 && checkedSymbols >= 5)
}

@Test func languageDocCoversEveryCommandConstructorAndFunction() throws {
  let doc = try String(contentsOfFile: repository.appendingPathComponent("docs/language.md").path, encoding: .utf8)
  // The task library's names are its files' names (Sources/RNNScript/Library/tasks/NAME.rnn).
  let library = try FileManager.default.contentsOfDirectory(
    atPath: repository.appendingPathComponent("Sources/RNNScript/Library/tasks").path
  ).filter { $0.hasSuffix(".rnn") }.map { String($0.dropLast(4)) }
  #expect(!library.isEmpty)
  let names = Commands.table.map(\.name) + Constructors.table.map(\.name) + Builtins.table.map(\.name) + library
  #expect(names.count > 60)
  // The identifiers written in code spans (`…`) of the doc.
  var documented = Set<String>()
  for span in doc.split(separator: "`", omittingEmptySubsequences: false).enumerated() where span.offset % 2 == 1 {
    for word in span.element.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }) {
      documented.insert(String(word))
    }
  }
  let missing = names.filter { !documented.contains($0) }
  #expect(missing.isEmpty, "docs/language.md does not document: \(missing)")
}
