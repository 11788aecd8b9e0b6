// How the C allocator keeps freed memory: the one seam to mallopt (CMalloc). A process-wide setting,
// applied by the executables at start-up (the psychrnn tool and the benchmark), never by a library.

import CMalloc

public enum Allocator {
  /// Keeps freed memory in the process for reuse. By default glibc gives the top of the heap back
  /// to the system once a few large arrays are freed, and the next arrays fault it in again page
  /// by page: for the language's whole-batch arrays (a custom loss makes about ten of 400 KB per
  /// training batch) that was 90% of their time. Blocks over 32 MB still come from and go back to
  /// the system directly; at most 128 MB of free heap is kept.
  public static func keepFreedMemory() {
    _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
    _ = mallopt(M_TRIM_THRESHOLD, 128 << 20)
  }
}
