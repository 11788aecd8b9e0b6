// swift-tools-version: 6.0
// PsychRNN for Swift: continuous-time RNNs for cognitive tasks, on OpenBLAS, with a terminal workbench.
// Targets are listed lowest layer first; docs/architecture.md has the dependency graph and the seams.
import PackageDescription
import Foundation

// The numeric modules, and RNNScript (whose interpreter runs the task library's trial functions),
// are compiled with optimization in debug builds too: training in the test suite and in example
// scripts is then seconds instead of minutes, and nothing else changes (docs/performance.md has
// RNNScript's cost: its clean debug compile 21 s → 58 s; gain: the whole suite 203 s → 94 s).
// On x86-64 they target Haswell (AVX2 and FMA, every x86 CPU since 2013), so the elementwise
// loops run 8 floats wide; PSYCHRNN_PORTABLE=1 at build time keeps the baseline x86-64 instead.
#if arch(x86_64)
  let vectorFlags = ProcessInfo.processInfo.environment["PSYCHRNN_PORTABLE"] == "1" ? [] : ["-target-cpu", "haswell"]
#else
  let vectorFlags: [String] = []
#endif
let optimizedEvenInDebug: [SwiftSetting] = [
  .unsafeFlags(["-O"] + vectorFlags, .when(configuration: .debug)),
  .unsafeFlags(vectorFlags, .when(configuration: .release)),
]
// The interpreter also drops the run-time exclusivity checks (the compile-time ones stay): they
// cost about 80 instructions at every access to a session's or a scope's stored properties,
// a tenth of a statement's time in a task's trial function (docs/performance.md).
let interpreterSettings: [SwiftSetting] = [
  .unsafeFlags(["-O", "-enforce-exclusivity=unchecked"] + vectorFlags, .when(configuration: .debug)),
  .unsafeFlags(["-enforce-exclusivity=unchecked"] + vectorFlags, .when(configuration: .release)),
]

let package = Package(
  name: "swift-psychrnn",
  products: [
    .executable(name: "psychrnn", targets: ["PsychRNNTool"]),
    .executable(name: "psychrnn-bench", targets: ["PsychRNNBench"]),
    .library(name: "PsychRNN", targets: ["PsychRNN"]),
  ],
  dependencies: [],
  targets: [
    // MARK: - System libraries (each imported by exactly one Swift file)
    .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
    .systemLibrary(name: "CMalloc"),

    // MARK: - Libraries, lowest layer first
    // Dense row-major matrices, batched arrays, the BLAS/LAPACK seam and seeded randomness.
    .target(name: "Linear", dependencies: ["CBLAS", "CMalloc"], swiftSettings: optimizedEvenInDebug),
    // The .npy / .npz container formats (numpy-compatible); knows nothing of RNNs.
    .target(name: "NumpyFormat"),
    // The model library: Basic/BasicScan, initializers, tasks, simulator, weight files.
    .target(name: "PsychRNN", dependencies: ["Linear", "NumpyFormat"], swiftSettings: optimizedEvenInDebug),
    // Text graphics: braille line charts and half-block heatmaps; knows nothing of RNNs.
    .target(name: "TermPlot"),
    // Sweeps: the plan of a grid, the manifest and run folders, status and results, and the engines
    // that run them (a local process pool, Slurm job arrays); knows nothing of RNNs or the language.
    .target(name: "Sweep", dependencies: ["NumpyFormat"]),
    // The .rnn command language: syntax, values, evaluation, and how values look (Presentation/);
    // knows PsychRNN and draws with TermPlot, but writes nothing: the shell does the I/O.
    // Library/ is the task library (.rnn files), copied beside the executables as the
    // swift-psychrnn_RNNScript.resources folder (found by Evaluation/StandardLibrary.swift).
    .target(
      name: "RNNScript", dependencies: ["PsychRNN", "Linear", "NumpyFormat", "TermPlot", "Sweep"],
      resources: [.copy("Library")],
      swiftSettings: interpreterSettings),
    // The I/O edge: line editing, history, terminal, colour, rendering, the read–eval–print loop.
    .target(
      name: "RNNShell", dependencies: ["RNNScript", "Sweep", "PsychRNN", "Linear", "NumpyFormat", "TermPlot", "CEditLine"]),
    // The command-line entry point.
    .executableTarget(name: "PsychRNNTool", dependencies: ["RNNShell", "RNNScript", "Sweep", "PsychRNN", "Linear"]),
    // The release-mode training benchmark.
    .executableTarget(name: "PsychRNNBench", dependencies: ["PsychRNN", "Linear", "NumpyFormat", "RNNScript"]),

    // MARK: - Tests (one target per library, and the helpers they share)
    .target(name: "TestSupport", path: "Tests/TestSupport"),
    .testTarget(name: "LinearTests", dependencies: ["Linear"]),
    .testTarget(name: "NumpyFormatTests", dependencies: ["NumpyFormat"]),
    .testTarget(name: "PsychRNNTests", dependencies: ["PsychRNN", "Linear", "NumpyFormat", "TestSupport"]),
    .testTarget(name: "TermPlotTests", dependencies: ["TermPlot", "TestSupport"], exclude: ["Golden"]),
    .testTarget(name: "RNNScriptTests", dependencies: ["RNNScript", "PsychRNN", "Linear", "Sweep", "TestSupport"]),
    .testTarget(name: "SweepTests", dependencies: ["Sweep", "NumpyFormat", "TestSupport"]),
    .testTarget(
      name: "RNNShellTests", dependencies: ["RNNShell", "RNNScript", "Sweep", "TermPlot", "TestSupport"], exclude: ["Golden"]),
  ]
)

// MARK: - Fuzz targets (only with PSYCHRNN_FUZZ=1; scripts/fuzz.sh builds them with
// -sanitize=fuzzer,address into .build/fuzz, so the normal `swift build` and `swift test` never see them)
if ProcessInfo.processInfo.environment["PSYCHRNN_FUZZ"] == "1" {
  package.targets += [
    .executableTarget(name: "FuzzNumpy", dependencies: ["NumpyFormat"], path: "Fuzz/Sources/FuzzNumpy"),
    .executableTarget(name: "FuzzParser", dependencies: ["RNNScript"], path: "Fuzz/Sources/FuzzParser"),
  ]
}
