// The task library: `.rnn` files shipped with the tool (`Sources/RNNScript/Library/tasks/NAME.rnn`,
// copied beside the executable as the `swift-psychrnn_RNNScript.resources` folder), each defining
// a function NAME that builds a task with `Task(…)`. A name the user has not bound resolves here
// lazily: the first use of NAME parses its file and defines the file's functions in a scope of
// their own (not the user's variables: `vars` does not list them, and a variable of the same
// name shadows them), then the call proceeds as for any `def` function.
//
// Where the folder is: `$PSYCHRNN_LIBRARY` if set, else `swift-psychrnn_RNNScript.resources/Library`
// in the directory of the running executable (`/proc/self/exe`; under `swift test` the test
// runner sits in `.build/debug` beside it, as `psychrnn` does). `Bundle.module` is not used: it
// traps when the bundle is missing, and a missing library must be an error that says where it
// looked.

import Foundation

/// One library's folder, its index (file name → file) and the files parsed so far.
public final class StandardLibrary: @unchecked Sendable {
  /// The environment variable that overrides where the library is.
  public static let environmentKey = "PSYCHRNN_LIBRARY"
  /// The bundle SwiftPM copies the `Library` folder into, beside the executable.
  static let bundleName = "swift-psychrnn_RNNScript.resources"

  /// One library file, parsed: its functions, defined in a scope of their own, and its help.
  struct Entry {
    let function: FunctionValue
    /// The leading `#` comment block, without the `# `.
    let help: [String]
  }

  /// The folder holding `tasks/`, or why there is none.
  let folder: Result<String, LibraryMissing>
  private let lock = NSLock()
  private var cachedIndex: [String: String]?
  private var loaded: [String: Entry] = [:]

  /// The library in `folder` (tests point this at a library of their own).
  public init(folder: String) {
    self.folder =
      FileManager.default.fileExists(atPath: folder + "/tasks")
      ? .success(folder) : .failure(LibraryMissing(looked: folder + "/tasks", hint: ""))
  }

  private init(missing: LibraryMissing) { folder = .failure(missing) }

  /// The library the tool ships: `$PSYCHRNN_LIBRARY`, else the resources beside the executable.
  public static let shipped: StandardLibrary = locate(environment: ProcessInfo.processInfo.environment)

  /// Where the library is for this environment and executable.
  static func locate(environment: [String: String]) -> StandardLibrary {
    if let chosen = environment[environmentKey], !chosen.isEmpty {
      let library = StandardLibrary(folder: chosen)
      if case .success = library.folder { return library }
      return StandardLibrary(missing: LibraryMissing(looked: chosen + "/tasks", hint: " (from \(environmentKey))"))
    }
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    let dir = URL(fileURLWithPath: exe).deletingLastPathComponent().path
    let candidate = dir + "/" + bundleName + "/Library"
    if FileManager.default.fileExists(atPath: candidate + "/tasks") { return StandardLibrary(folder: candidate) }
    return StandardLibrary(
      missing: LibraryMissing(
        looked: candidate + "/tasks", hint: " (beside the executable; set \(environmentKey) to a folder holding tasks/)"))
  }

  /// The library's names (its files' names), sorted; none when the folder is missing.
  public var names: [String] { index.keys.sorted() }

  /// Whether `name` is a library function (without parsing its file).
  func contains(_ name: String) -> Bool { index[name] != nil }

  /// The file name → path index, read once.
  private var index: [String: String] {
    lock.lock()
    defer { lock.unlock() }
    if let cachedIndex { return cachedIndex }
    var found: [String: String] = [:]
    if case .success(let root) = folder {
      let dir = root + "/tasks"
      for file in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where file.hasSuffix(".rnn") {
        found[String(file.dropLast(4))] = dir + "/" + file
      }
    }
    cachedIndex = found
    return found
  }

  /// The entry for `name`, its file parsed and defined on first use; nil when the library has no
  /// such name. A missing library, or a file that does not parse or define `name`, is an error
  /// at `at` that names the file.
  func entry(_ name: String, at: SourceLocation) throws -> Entry? {
    guard let path = index[name] else { return nil }
    lock.lock()
    defer { lock.unlock() }
    if let e = loaded[name] { return e }
    let e = try load(name, from: path, at: at)
    loaded[name] = e
    return e
  }

  /// Parses the file at `path` and defines its functions in a scope of their own.
  private func load(_ name: String, from path: String, at: SourceLocation) throws -> Entry {
    let length = name.count
    guard let data = FileManager.default.contents(atPath: path) else {
      throw RuntimeError("cannot read the task library file \(path)", at: at, length: length)
    }
    let text = String(decoding: data, as: UTF8.self)
    let (statements, diagnostics) = Parser(source: text, file: path, commands: Commands.verbs).parse()
    if let d = diagnostics.first {
      throw RuntimeError(
        "the task library file \(path) does not parse: \(d.location.line):\(d.location.column): \(d.message)"
          + (diagnostics.count > 1 ? " (and \(diagnostics.count - 1) more)" : ""), at: at, length: length)
    }
    // A session of the library's own evaluates the definitions (their defaults) in a scope that
    // becomes the parent of every call of them: the file's functions see each other first.
    let definer = Session()
    let scope = Scope(parent: nil)
    definer.scope = scope
    for s in statements {
      guard case .function = s.statement else {
        throw RuntimeError(
          "the task library file \(path):\(s.range.start.line): only def statements may stand at the top of a library file",
          at: at, length: length)
      }
      do {
        _ = try definer.perform(s.statement)
      } catch let e as RuntimeError {
        let place = e.location.map { "\($0.line):\($0.column): " } ?? ""
        throw RuntimeError("the task library file \(path): \(place)\(e.message)", at: at, length: length)
      }
    }
    guard case .function(let f)? = scope[local: name] else {
      throw RuntimeError(
        "the task library file \(path) does not define \(name) (each file defines the function it is named after)",
        at: at, length: length)
    }
    return Entry(function: f, help: StandardLibrary.leadingComment(text))
  }

  /// The `#` lines at the top of `text`, without their `#` and one space.
  static func leadingComment(_ text: String) -> [String] {
    var lines: [String] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let t = line.trimmingCharacters(in: .whitespaces)
      guard t.hasPrefix("#") else { break }
      var body = t.dropFirst()
      if body.hasPrefix(" ") { body = body.dropFirst() }
      lines.append(String(body))
    }
    return lines
  }

  /// `help NAME`: the signature with its defaults, then the file's comment block.
  func help(_ name: String, at: SourceLocation) throws -> String? {
    guard let e = try entry(name, at: at) else { return nil }
    let d = e.function.definition
    let parameters = d.parameters.map { p in p.defaultValue.map { "\(p.name): \($0)" } ?? p.name }
    return (["\(name)(\(parameters.joined(separator: ", ")))"] + e.help.map { "  " + $0 })
      .joined(separator: "\n")
  }
}

/// The library folder is not where it was looked for.
struct LibraryMissing: Error {
  /// The folder that was not there.
  let looked: String
  /// Why it was looked for there.
  let hint: String

  var message: String { "the task library is missing: looked for \(looked)\(hint)" }
}

extension Session {
  /// The library function `name`, its file defined on first use; nil when the library has none.
  /// Asked only for a name that is not a variable, so a user's variable shadows it.
  func libraryFunction(_ name: String, at: SourceLocation) throws -> FunctionValue? {
    try library.entry(name, at: at)?.function
  }

  /// The names the library defines (for completion, help and suggestions).
  public var libraryNames: [String] { library.names }

  /// For the error about an unknown CamelCase name (library names are CamelCase, as PsychRNN's
  /// tasks): where the library was looked for, when it is missing.
  func libraryMissingNote(_ name: String) -> String {
    guard name.first?.isUppercase == true, case .failure(let missing) = library.folder else { return "" }
    return "; " + missing.message
  }
}
