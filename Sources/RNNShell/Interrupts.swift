// Ctrl-C, SIGTERM and SIGHUP: one process-wide "please stop" flag, set by the signal handlers.
//
// What Ctrl-C (SIGINT) does depends on where the user is:
//   - at the prompt: the typed text is discarded and a fresh prompt appears. `EditLineReader`
//     notices the flag while it waits for a key, clears it and returns `.interrupted`;
//   - during a long computation (training, a long simulation): the first Ctrl-C only sets the
//     flag. The computation polls `Interrupts.isRequested` between steps (batches), stops cleanly
//     and keeps what it has; the shell then calls `Interrupts.reset()` and prompts again;
//   - escape hatch: a second Ctrl-C within one second, while the flag is still set (nobody has
//     noticed the first), ends the process at once with `_exit(130)` (128 + SIGINT, as shells
//     report it). This is for work that never polls. It is off while the prompt is waiting for
//     keys, so pressing Ctrl-C quickly twice at the prompt never ends the session.
//
// Ctrl-\ (SIGQUIT) is treated exactly like Ctrl-C (its escape hatch exits with 131), so it never
// shows the runtime's "crashed" backtrace.
//
// SIGTERM and SIGHUP (a batch system's time limit, a closed terminal) ask the process to END:
//   - the first one sets the same flag, so training stops after the current batch exactly as for
//     Ctrl-C, and records the signal: `terminationStatus` is then 128 + the signal, `reset()` does
//     not clear it, readers report end of input, scripts stop, and `psychrnn` exits with it;
//   - a second one, or one while nothing can poll (the shell is blocked reading a pipe), removes
//     the temporaries of atomic writes in flight (`AtomicFiles.removeInFlightTemporaries()`) and
//     ends the process at once with 128 + the signal.
// A failed write to standard output (EPIPE once SIGPIPE is ignored, a closed or full output) asks
// for the end the same way (`requestTermination(status:)`, 141 or 74), so that output is never lost
// silently under an exit status of 0.
//
// The handlers are async-signal-safe: they read a monotonic clock (`clock_gettime`), load and
// store atomics, `unlink` registered temporaries and may call `_exit`; nothing else. They are
// installed with SA_RESTART so that other system calls (writes to the terminal or to files) are
// not cut short by EINTR.

import Glibc
import NumpyFormat
import Synchronization

/// Process-wide Ctrl-C handling: a "stop requested" flag that long computations poll.
///
/// Call `install()` once at start-up (`EditLineReader` calls it too); it is idempotent.
public enum Interrupts {
  /// How close together two Ctrl-C presses must be for the second to end the process.
  public static let escapeWindowNanoseconds: Int64 = 1_000_000_000

  /// The exit status used by the escape hatch: 128 + SIGINT, as shells report a Ctrl-C kill.
  public static let escapeExitStatus: Int32 = 130

  /// The exit status for a failed write to standard output with EPIPE (128 + SIGPIPE).
  public static let brokenPipeExitStatus: Int32 = 141
  /// The exit status for any other failed write to standard output (sysexits' EX_IOERR).
  public static let outputErrorExitStatus: Int32 = 74

  /// Installs the SIGINT, SIGQUIT, SIGTERM and SIGHUP handlers and ignores SIGPIPE (so that a
  /// closed pipe is an EPIPE error that `FileOutput` reports), once; later calls do nothing.
  public static func install() {
    _ = installation
  }

  /// Whether Ctrl-C was pressed since the last `reset()`, or the process was asked to end;
  /// long computations poll this.
  public static var isRequested: Bool {
    interruptRequested.load(ordering: .acquiring) || terminationRequest.load(ordering: .acquiring) != 0
  }

  /// The exit status the process was asked to end with (128 + SIGTERM or SIGHUP, or an output
  /// error's), or nil. Once set it stays set: `reset()` does not clear it.
  public static var terminationStatus: Int32? {
    let status = terminationRequest.load(ordering: .acquiring)
    return status == 0 ? nil : status
  }

  /// What asked computations to stop, for messages: the termination signal's name, or Ctrl-C.
  public static var stopCause: String {
    guard let status = terminationStatus else { return "Ctrl-C" }
    switch status {
    case 128 + SIGTERM: return "SIGTERM"
    case 128 + SIGHUP: return "SIGHUP"
    default: return "exit status \(status) requested"
    }
  }

  /// Asks the process to end with `status` as a SIGTERM would: computations stop at their next
  /// poll, readers report end of input, and `psychrnn` exits with `status`. The first request wins.
  public static func requestTermination(status: Int32) {
    _ = terminationRequest.compareExchange(expected: 0, desired: status, ordering: .acquiringAndReleasing)
  }

  /// Whether a write to standard output has failed (see `FileOutput.write`).
  public static var outputFailed: Bool { outputFailure.load(ordering: .acquiring) }

  /// Records a failed write to standard output: EPIPE asks to end with 141, other errors with 74.
  static func outputFailed(errno code: Int32) {
    outputFailure.store(true, ordering: .releasing)
    requestTermination(status: code == EPIPE ? brokenPipeExitStatus : outputErrorExitStatus)
  }

  /// Forgets a pending Ctrl-C (the shell calls this once it has handled one). A termination
  /// request is kept.
  public static func reset() {
    interruptRequested.store(false, ordering: .releasing)
  }

  /// Sets the flag as a Ctrl-C would (for code and tests that want to cancel without a signal).
  public static func request() {
    interruptRequested.store(true, ordering: .releasing)
  }

  // MARK: - Internals shared with EditLineReader

  /// True while the prompt waits for keys: the escape hatch is off then.
  static func setWaitingAtPrompt(_ waiting: Bool) {
    waitingAtPrompt.store(waiting, ordering: .releasing)
  }

  /// True while a reader is blocked in `read` on a file or pipe, where nothing polls the flag: a
  /// signal then ends the process at once (`PlainLineReader` sets it around each read).
  static func setBlockedReading(_ blocked: Bool) {
    blockedReading.store(blocked, ordering: .releasing)
  }

  /// What the SIGTERM / SIGHUP handler does, as a pure function of the state it sees.
  static func terminationAction(alreadyTerminating: Bool, blockedReading: Bool) -> Action {
    alreadyTerminating || blockedReading ? .exitNow : .request
  }

  /// What the handler does with one Ctrl-C, as a pure function of the state it sees.
  enum Action: Equatable {
    /// Set the flag and remember when.
    case request
    /// End the process now.
    case exitNow
  }

  /// Decides the handler's action: exit only for a second press within the window while the
  /// first is still pending and the prompt is not waiting.
  static func action(
    alreadyRequested: Bool, atPrompt: Bool, nanosecondsSincePrevious: Int64
  ) -> Action {
    let quickSecondPress = alreadyRequested && nanosecondsSincePrevious < escapeWindowNanoseconds
    return quickSecondPress && !atPrompt ? .exitNow : .request
  }

  /// Runs once: touches every global the handler reads (Swift globals are initialised lazily,
  /// which must not happen inside a signal handler), then installs the handler.
  private static let installation: Void = {
    _ = interruptRequested.load(ordering: .relaxed)
    _ = waitingAtPrompt.load(ordering: .relaxed)
    _ = previousPressTime.load(ordering: .relaxed)
    _ = terminationRequest.load(ordering: .relaxed)
    _ = blockedReading.load(ordering: .relaxed)
    AtomicFiles.prepareForSignalHandlers()
    func install(_ handler: @convention(c) (Int32) -> Void, for signals: [Int32]) {
      var action = sigaction()
      action.__sigaction_handler.sa_handler = handler
      sigemptyset(&action.sa_mask)
      for s in [SIGINT, SIGQUIT, SIGTERM, SIGHUP] { sigaddset(&action.sa_mask, s) }  // one at a time
      action.sa_flags = SA_RESTART
      for s in signals { sigaction(s, &action, nil) }
    }
    install(handleInterruptSignal, for: [SIGINT, SIGQUIT])
    install(handleTerminationSignal, for: [SIGTERM, SIGHUP])
    signal(SIGPIPE, SIG_IGN)
  }()
}

// MARK: - The signal handler and its state

/// Set by Ctrl-C, cleared by `Interrupts.reset()`.
private let interruptRequested = Atomic<Bool>(false)
/// True while `EditLineReader` waits for a key.
private let waitingAtPrompt = Atomic<Bool>(false)
/// Monotonic time of the previous Ctrl-C, in nanoseconds.
private let previousPressTime = Atomic<Int64>(0)
/// The exit status a termination request asked for (128 + the signal), or 0 for none.
private let terminationRequest = Atomic<Int32>(0)
/// Set once a write to standard output failed.
private let outputFailure = Atomic<Bool>(false)
/// True while a reader is blocked in `read` (see `Interrupts.setBlockedReading`).
private let blockedReading = Atomic<Bool>(false)

/// Removes the temporaries of atomic writes in flight and ends the process (async-signal-safe).
private func exitFromHandler(_ status: Int32) -> Never {
  AtomicFiles.removeInFlightTemporaries()
  _exit(status)
}

/// The SIGINT and SIGQUIT handler: async-signal-safe (a clock read, atomics, `unlink`, `_exit`).
private func handleInterruptSignal(_ signal: Int32) {
  let now = monotonicNanoseconds()
  let blocked = blockedReading.load(ordering: .acquiring)
  let action = Interrupts.action(
    alreadyRequested: interruptRequested.load(ordering: .acquiring),
    atPrompt: waitingAtPrompt.load(ordering: .acquiring),
    nanosecondsSincePrevious: now - previousPressTime.load(ordering: .relaxed))
  if action == .exitNow || blocked { exitFromHandler(128 + signal) }
  previousPressTime.store(now, ordering: .relaxed)
  interruptRequested.store(true, ordering: .releasing)
}

/// The SIGTERM and SIGHUP handler: the first records the request and sets the stop flag; a
/// second, or one while the shell is blocked reading, removes temporaries and exits.
private func handleTerminationSignal(_ signal: Int32) {
  let action = Interrupts.terminationAction(
    alreadyTerminating: terminationRequest.load(ordering: .acquiring) != 0,
    blockedReading: blockedReading.load(ordering: .acquiring))
  if action == .exitNow { exitFromHandler(128 + signal) }
  _ = terminationRequest.compareExchange(expected: 0, desired: 128 + signal, ordering: .acquiringAndReleasing)
  interruptRequested.store(true, ordering: .releasing)
}

/// CLOCK_MONOTONIC in nanoseconds (`clock_gettime` is async-signal-safe).
private func monotonicNanoseconds() -> Int64 {
  var time = timespec()
  clock_gettime(CLOCK_MONOTONIC, &time)
  return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
}
