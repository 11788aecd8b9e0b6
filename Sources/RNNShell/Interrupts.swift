// Ctrl-C: one process-wide "please stop" flag, set by the SIGINT handler.
//
// What Ctrl-C does depends on where the user is:
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
// The handler is async-signal-safe: it reads a monotonic clock (`clock_gettime`), loads and
// stores atomics and may call `_exit`; nothing else. It is installed with SA_RESTART so that
// other system calls (writes to the terminal or to files) are not cut short by EINTR.

import Glibc
import Synchronization

/// Process-wide Ctrl-C handling: a "stop requested" flag that long computations poll.
///
/// Call `install()` once at start-up (`EditLineReader` calls it too); it is idempotent.
public enum Interrupts {
  /// How close together two Ctrl-C presses must be for the second to end the process.
  public static let escapeWindowNanoseconds: Int64 = 1_000_000_000

  /// The exit status used by the escape hatch: 128 + SIGINT, as shells report a Ctrl-C kill.
  public static let escapeExitStatus: Int32 = 130

  /// Installs the SIGINT handler (once; later calls do nothing).
  public static func install() {
    _ = installation
  }

  /// Whether Ctrl-C was pressed since the last `reset()`; long computations poll this.
  public static var isRequested: Bool {
    interruptRequested.load(ordering: .acquiring)
  }

  /// Forgets a pending Ctrl-C (the shell calls this once it has handled one).
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
    var action = sigaction()
    action.__sigaction_handler.sa_handler = handleInterruptSignal
    sigemptyset(&action.sa_mask)
    action.sa_flags = SA_RESTART
    sigaction(SIGINT, &action, nil)
  }()
}

// MARK: - The signal handler and its state

/// Set by Ctrl-C, cleared by `Interrupts.reset()`.
private let interruptRequested = Atomic<Bool>(false)
/// True while `EditLineReader` waits for a key.
private let waitingAtPrompt = Atomic<Bool>(false)
/// Monotonic time of the previous Ctrl-C, in nanoseconds.
private let previousPressTime = Atomic<Int64>(0)

/// The SIGINT handler: async-signal-safe (a clock read, atomics, `_exit`).
private func handleInterruptSignal(_ signal: Int32) {
  let now = monotonicNanoseconds()
  let action = Interrupts.action(
    alreadyRequested: interruptRequested.load(ordering: .acquiring),
    atPrompt: waitingAtPrompt.load(ordering: .acquiring),
    nanosecondsSincePrevious: now - previousPressTime.load(ordering: .relaxed))
  if action == .exitNow { _exit(Interrupts.escapeExitStatus) }
  previousPressTime.store(now, ordering: .relaxed)
  interruptRequested.store(true, ordering: .releasing)
}

/// CLOCK_MONOTONIC in nanoseconds (`clock_gettime` is async-signal-safe).
private func monotonicNanoseconds() -> Int64 {
  var time = timespec()
  clock_gettime(CLOCK_MONOTONIC, &time)
  return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
}
