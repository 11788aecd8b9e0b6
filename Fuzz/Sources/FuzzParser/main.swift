// libFuzzer target: the .rnn lexer and parser, the shell's bracket check and diagnostic
// rendering, on arbitrary bytes decoded as the shell decodes them (invalid UTF-8 → U+FFFD).
// Built and run by scripts/fuzz.sh (the target exists only when PSYCHRNN_FUZZ=1).

import RNNScript

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  _ = Parser.needsMoreInput(text)
  let (statements, diagnostics) = Parser(source: text, file: "fuzz.rnn", commands: Commands.verbs).parse()
  for d in diagnostics { _ = d.render(sourceLine: sourceLine(d.location.line, in: text)) }
  for s in statements { _ = s.text }
  return 0
}

// SwiftPM links an executable target's entry point as `FuzzParser_main` (and points `main` at it);
// with -parse-as-library there is none, so hand over to libFuzzer's driver here.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
) -> Int32

@_cdecl("FuzzParser_main")
func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
  var count = argc
  var arguments = argv
  return LLVMFuzzerRunDriver(&count, &arguments, fuzzOneInput)
}
