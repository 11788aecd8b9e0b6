// libFuzzer target: the .npy, .npz and pickle readers (object arrays carry pickles) on arbitrary
// bytes. Any trap, crash, hang or AddressSanitizer report is a bug; thrown errors are fine.
// Built and run by scripts/fuzz.sh (never by `swift build`: the target exists only when
// PSYCHRNN_FUZZ=1, see Package.swift).

import NumpyFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  if let array = try? NPY.decode(bytes) {
    _ = try? NPY.encode(array)  // what was read can be written again
  }
  if let entries = try? NPZ.decode(bytes, maxDecompressedSize: 64 << 20) {
    for (name, _) in entries { _ = sanitizedForDisplay(name) }
  }
  return 0
}

// SwiftPM links an executable target's entry point as `FuzzNumpy_main` (and points `main` at it);
// with -parse-as-library there is none, so hand over to libFuzzer's driver here.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

@_cdecl("FuzzNumpy_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
  var count = argc
  var arguments = argv
  return LLVMFuzzerRunDriver(&count, &arguments, fuzzOneInput)
}
