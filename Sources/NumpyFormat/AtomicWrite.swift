// Any bytes written the way `.npy`/`.npz` files are (FileIO.swift): a temporary beside the file,
// renamed over it, never replacing what is not a regular file. For the other files the shell
// writes (tables, scripts).

extension AtomicFiles {
  /// Writes `bytes` to `path` atomically; errors are `NumpyFormatError.unwritableFile` with the reason.
  public static func write(_ bytes: [UInt8], to path: String) throws {
    try FileIO.writeAtomically(bytes, to: path)
  }
}
