// The history file and `history save` (docs/reliability.md, "History file"): FIFOs and devices
// are refused without blocking and never chmodded; failures name the system's reason, stop a
// script, leave no temporary, and are shown once.

import Foundation
import Glibc
@testable import RNNShell
import Testing

// Nested in the process-wide suite: libedit's history is one per process, so these run one at a
// time with the other tests that touch it (a sibling serialized suite would run beside them).
extension ProcessWideLineReaderTests {
  @Suite struct HistoryFileTests {
    private func temporaryDirectory() throws -> String { try ChildProcess.temporaryDirectory() }

    @Test func aFIFOAsTheHistoryFileIsRefusedWithoutBlocking() throws {
      let dir = try temporaryDirectory()
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let fifo = dir + "/history"
      #expect(mkfifo(fifo, 0o644) == 0)
      var warnings: [String] = []
      let start = Date()
      let reader = EditLineReader(historyPath: fifo)  // blocked forever in libedit's fopen before
      reader.onWarning = { warnings.append($0) }
      reader.record("a")
      reader.record("b")
      #expect(Date().timeIntervalSince(start) < 2)
      #expect(warnings.count == 1, "\(warnings)")
      #expect(warnings.first?.contains("FIFO") == true, "\(warnings)")
      var info = stat()
      #expect(lstat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
      #expect(info.st_mode & 0o777 == 0o644)
    }

    @Test func aDeviceAsTheHistoryFileIsNeitherReplacedNorChmodded() throws {
      let dir = try temporaryDirectory()
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let device = dir + "/history"
      guard mknod(device, S_IFCHR | 0o640, dev_t((1 << 8) | 3)) == 0 else { return }  // /dev/null's numbers; needs root
      #expect(chmod(device, 0o640) == 0)
      var warnings: [String] = []
      let reader = EditLineReader(historyPath: device)
      reader.onWarning = { warnings.append($0) }
      reader.record("a")
      var info = stat()
      #expect(lstat(device, &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
      #expect(info.st_mode & 0o777 == 0o640, "libedit's fchmod made it \(String(info.st_mode & 0o777, radix: 8))")
      #expect(warnings.count == 1 && warnings[0].contains("character device"), "\(warnings)")
    }

    @Test func aNewHistoryFileIsPrivateAndNoTemporaryIsLeft() throws {
      let dir = try temporaryDirectory()
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let reader = EditLineReader(historyPath: dir + "/history")
      reader.record("a")
      var info = stat()
      #expect(stat(dir + "/history", &info) == 0 && info.st_mode & 0o777 == 0o600)
      #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["history"])
      #expect(EditLineReader(historyPath: dir + "/history").historyEntries == ["a"])
    }

    /// `history save` on a file system that refuses the write (EFBIG under `ulimit -f 0`, with
    /// SIGXFSZ ignored): the reason is shown, the script stops with 70, nothing is left behind.
    @Test func aFailedHistorySaveNamesTheReasonAndStopsTheScript() throws {
      let dir = try temporaryDirectory()
      defer { try? FileManager.default.removeItem(atPath: dir) }
      let binary = ChildProcess.quoted(try ChildProcess.binary())
      let r = try ChildProcess.run(
        shell: "trap '' XFSZ; ulimit -f 0; exec \(binary) -e 'x = 1' -e 'history save \"h.rnn\"' -e 'print(\"ran on\")'",
        directory: dir)
      #expect(r.status == 70, "\(r.output)")
      #expect(r.output.contains("cannot write h.rnn: File too large"), "\(r.output)")
      #expect(!r.output.contains("ran on"))
      #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    @Test func historySaveRefusesAFIFO() throws {
      let dir = try temporaryDirectory()
      defer { try? FileManager.default.removeItem(atPath: dir) }
      #expect(mkfifo(dir + "/h.rnn", 0o644) == 0)
      let binary = ChildProcess.quoted(try ChildProcess.binary())
      let r = try ChildProcess.run(shell: "exec \(binary) -e 'x = 1' -e 'history save \"h.rnn\"'", directory: dir, timeout: 20)
      #expect(!r.timedOut)
      #expect(r.status == 70 && r.output.contains("not a regular file (a FIFO)"), "\(r.output)")
    }
  }
}
