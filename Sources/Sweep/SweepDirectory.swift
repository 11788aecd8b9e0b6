// The layout of a sweep's folder, and the only code that reads or writes it:
//
//   DIR/manifest.json            the frozen plan (Manifest)
//   DIR/script.rnn               the script every run executes
//   DIR/runs/00007/              one folder per index (RunFolder)
//   DIR/slurm/job.sh, jobs.txt   the Slurm engine's job script and the job ids it submitted
//   DIR/logs/                    Slurm's output per array task (%A_%a.out)
//   DIR/results.csv, results.npz written by `collect`
//
// Every file is written atomically (NumpyFormat's writer): a reader sees the old file or the new one.

import Foundation
import NumpyFormat
#if canImport(Glibc)
  import Glibc
#endif

/// A sweep's folder.
public struct SweepDirectory: Sendable {
  public let path: String

  public init(_ path: String) {
    // Absolute, so that runs started elsewhere (Slurm tasks, pool workers) find the same folder.
    if path.hasPrefix("/") {
      self.path = path
    } else {
      self.path = FileManager.default.currentDirectoryPath + "/" + path
    }
  }

  public var manifestPath: String { path + "/manifest.json" }
  public var scriptPath: String { path + "/script.rnn" }
  public var runsPath: String { path + "/runs" }
  public var slurmPath: String { path + "/slurm" }
  public var logsPath: String { path + "/logs" }
  public var resultsCSV: String { path + "/results.csv" }
  public var resultsNPZ: String { path + "/results.npz" }

  /// The folder of run `index` of a sweep of `count` runs (zero-padded so they sort: 00007).
  public func run(_ index: Int, of count: Int) -> RunFolder {
    let width = max(5, String(max(0, count - 1)).count)
    let digits = String(index)
    return RunFolder(path: runsPath + "/" + String(repeating: "0", count: max(0, width - digits.count)) + digits, index: index)
  }

  /// The manifest, or `.noManifest`.
  public func manifest() throws(SweepError) -> Manifest {
    guard FileManager.default.fileExists(atPath: manifestPath) else { throw .noManifest(directory: path) }
    return try JSONFile.decode(Manifest.self, from: try read(manifestPath), path: manifestPath)
  }

  /// Writes `manifest` and the script into a new or empty DIR; finds an equal one and keeps it;
  /// refuses a different one. Returns whether the manifest was already there.
  @discardableResult
  public func create(_ manifest: Manifest) throws(SweepError) -> Bool {
    try makeDirectory(path)
    if FileManager.default.fileExists(atPath: manifestPath) {
      let existing = try self.manifest()
      if let difference = manifest.difference(from: existing) {
        throw .differentManifest(directory: path, difference: difference)
      }
      return true
    }
    try makeDirectory(runsPath)
    try write(Array(manifest.script.utf8), to: scriptPath)
    try write(try JSONFile.encode(manifest), to: manifestPath)
    return false
  }

  // MARK: - File helpers shared by the sweep's files

  public func read(_ file: String) throws(SweepError) -> [UInt8] {
    do { return try Files.read(file) } catch { throw .file(path: file, problem: "cannot be read (\(error))") }
  }

  func write(_ bytes: [UInt8], to file: String) throws(SweepError) {
    do { try AtomicFiles.write(bytes, to: file) } catch { throw .file(path: file, problem: "cannot be written (\(error))") }
  }

  func makeDirectory(_ dir: String) throws(SweepError) { try makeDirectories(dir) }
}

/// Creates `dir` and its missing parents; the system's reason when it cannot.
func makeDirectories(_ dir: String) throws(SweepError) {
  var isDirectory: ObjCBool = false
  if FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) {
    guard isDirectory.boolValue else { throw .file(path: dir, problem: "exists and is not a folder") }
    return
  }
  let parent = (dir as NSString).deletingLastPathComponent
  if !parent.isEmpty && parent != dir { try makeDirectories(parent) }
  if mkdir(dir, 0o755) != 0 && errno != EEXIST {
    throw .file(path: dir, problem: "cannot be created (\(String(cString: strerror(errno))))")
  }
}

/// Reads a file of the sweep (nil when it does not exist).
func readIfPresent(_ file: String) throws(SweepError) -> [UInt8]? {
  guard FileManager.default.fileExists(atPath: file) else { return nil }
  do { return try Files.read(file) } catch { throw .file(path: file, problem: "cannot be read (\(error))") }
}

/// Writes a file of the sweep atomically.
func writeAtomically(_ bytes: [UInt8], to file: String) throws(SweepError) {
  do { try AtomicFiles.write(bytes, to: file) } catch { throw .file(path: file, problem: "cannot be written (\(error))") }
}

extension SweepDirectory {
  public var submissionPath: String { path + "/submission.json" }

  /// Records the settings of a submission (resubmit reuses them).
  public func saveSettings(_ settings: EngineSettings) throws(SweepError) {
    try write(try JSONFile.encode(settings), to: submissionPath)
  }

  /// The settings of the last submission, if any.
  public func savedSettings() throws(SweepError) -> EngineSettings? {
    guard let bytes = try readIfPresent(submissionPath) else { return nil }
    return try JSONFile.decode(EngineSettings.self, from: bytes, path: submissionPath)
  }
}
